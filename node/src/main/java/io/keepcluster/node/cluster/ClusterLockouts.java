package io.keepcluster.node.cluster;

import com.hazelcast.map.IMap;
import io.keepcluster.node.config.LockoutPolicy;
import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.node.users.LockoutRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed-login counts shared by every node, so five failures spread over the cluster suspend a
 * user everywhere. Each update holds the entry's cluster lock; entries expire with the policy.
 * Blocking (remote calls): used from the login worker threads.
 */
public final class ClusterLockouts implements LockoutRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterLockouts.class);

  private final IMap<String, String> lockouts;
  private final LockoutPolicy policy;
  private final Clock clock;

  public ClusterLockouts(HazelcastMember member, LockoutPolicy policy, Clock clock) {
    this.lockouts = member.instance().getMap(HazelcastMember.LOCKOUTS);
    this.policy = policy;
    this.clock = clock;
  }

  private record State(int failures, long lockedUntilMillis) {
    static State parse(String text) {
      if (text == null) {
        return new State(0, 0);
      }
      String[] parts = text.split(":");
      return new State(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
    }

    String encode() {
      return failures + ":" + lockedUntilMillis;
    }
  }

  @Override
  public boolean isLocked(String username) {
    return clock.millis() < State.parse(lockouts.get(username)).lockedUntilMillis();
  }

  @Override
  public void recordFailure(String username) {
    lockouts.lock(username);
    try {
      State state = State.parse(lockouts.get(username));
      long now = clock.millis();
      boolean lockExpired = state.lockedUntilMillis() != 0 && now >= state.lockedUntilMillis();
      int failures = lockExpired ? 1 : state.failures() + 1;
      long lockedUntil = failures >= policy.attempts() ? now + policy.suspension().toMillis() : 0;
      lockouts.put(username, new State(failures, lockedUntil).encode(),
          policy.suspension().toSeconds(), TimeUnit.SECONDS);
      if (failures == policy.attempts()) {
        LOG.warn("event=user_locked user={} failures={} until={}", LogSafe.value(username), failures,
            Instant.ofEpochMilli(lockedUntil));
      }
    } finally {
      lockouts.unlock(username);
    }
  }

  @Override
  public void recordSuccess(String username) {
    lockouts.delete(username);
  }
}
