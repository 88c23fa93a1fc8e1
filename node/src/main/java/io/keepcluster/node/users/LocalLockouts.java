package io.keepcluster.node.users;

import io.keepcluster.node.config.LockoutPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.keepcluster.node.logging.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Node-local lockouts: N failures in a row suspend the user for the policy's duration. */
public final class LocalLockouts implements LockoutRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(LocalLockouts.class);

  private final LockoutPolicy policy;
  private final Clock clock;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  private record State(int failures, Instant lockedUntil) {}

  public LocalLockouts(LockoutPolicy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
  }

  @Override
  public boolean isLocked(String username) {
    State state = states.get(username);
    return state != null && state.lockedUntil() != null && clock.instant().isBefore(state.lockedUntil());
  }

  @Override
  public void recordFailure(String username) {
    State next = states.compute(username, (name, state) -> {
      Instant now = clock.instant();
      int failures = state == null || expired(state, now) ? 1 : state.failures() + 1;
      Instant lockedUntil = failures >= policy.attempts() ? now.plus(policy.suspension()) : null;
      return new State(failures, lockedUntil);
    });
    if (next.failures() == policy.attempts()) {
      LOG.warn("event=user_locked user={} failures={} until={}", LogSafe.value(username), next.failures(), next.lockedUntil());
    }
  }

  private static boolean expired(State state, Instant now) {
    return state.lockedUntil() != null && !now.isBefore(state.lockedUntil());
  }

  @Override
  public void recordSuccess(String username) {
    states.remove(username);
  }
}
