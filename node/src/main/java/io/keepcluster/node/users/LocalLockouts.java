package io.keepcluster.node.users;

import io.keepcluster.node.config.LockoutPolicy;
import io.keepcluster.node.logging.LogSafe;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Node-local lockouts: N failures in a row suspend the user for the policy's duration. */
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
  public boolean isLocked(String username) {
    return states.getOrDefault(username, FailedLogins.NONE).lockedAt(clock.instant());
  }

  @Override
  public void recordFailure(String username) {
    FailedLogins next = states.compute(username, (name, state) ->
        (state == null ? FailedLogins.NONE : state).afterFailure(policy, clock.instant()));
    if (next.justLocked(policy)) {
      LOG.warn("event=user_locked user={} failures={} until={}", LogSafe.value(username),
          next.failures(), next.lockedUntil());
    }
  }

  @Override
  public void recordSuccess(String username) {
    states.remove(username);
  }
}
