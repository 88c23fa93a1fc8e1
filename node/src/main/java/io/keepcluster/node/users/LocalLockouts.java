package io.keepcluster.node.users;

import io.keepcluster.node.config.LockoutPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Node-local lockouts: N failures in a row suspend the username for the policy's duration. */
public final class LocalLockouts implements LockoutRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(LocalLockouts.class);

  private final LockoutPolicy policy;
  private final Clock clock;
  private final Map<String, FailedLogins> states = new ConcurrentHashMap<>();

  public LocalLockouts(LockoutPolicy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
  }

  @Override
  public boolean tryBegin(String username) {
    Instant now = clock.instant();
    AtomicBoolean admitted = new AtomicBoolean();
    states.compute(username, (name, state) -> {
      FailedLogins current = state == null ? FailedLogins.NONE : state;
      Optional<FailedLogins> next = current.begin(policy, now);
      admitted.set(next.isPresent());
      return next.orElse(current);
    });
    return admitted.get();
  }

  @Override
  public void finish(String username, boolean succeeded) {
    Instant now = clock.instant();
    FailedLogins next = states.compute(username, (name, state) -> {
      FailedLogins settled = (state == null ? FailedLogins.NONE : state).finish(policy, now, succeeded);
      return settled.clear() ? null : settled;
    });
    if (next != null && next.justLocked(policy)) {
      LOG.warn("event=user_locked user={} failures={} until={}", LockoutKey.forLog(username),
          next.failures(), next.lockedUntil());
    }
  }

  @Override
  public Optional<Instant> lockedUntil(String username) {
    FailedLogins state = states.getOrDefault(username, FailedLogins.NONE);
    return state.lockedAt(clock.instant()) ? Optional.of(state.lockedUntil()) : Optional.empty();
  }

  @Override
  public void clear(String username) {
    states.remove(username);
  }

  @Override
  public boolean isLocked(String username) {
    return states.getOrDefault(username, FailedLogins.NONE).lockedAt(clock.instant());
  }
}
