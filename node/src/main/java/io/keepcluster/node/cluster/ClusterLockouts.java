package io.keepcluster.node.cluster;

import com.hazelcast.map.IMap;
import io.keepcluster.node.config.LockoutPolicy;
import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.node.users.FailedLogins;
import io.keepcluster.node.users.LockoutRegistry;
import java.time.Clock;
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

  @Override
  public boolean isLocked(String username) {
    return FailedLogins.decode(lockouts.get(username)).lockedAt(clock.instant());
  }

  @Override
  public void recordFailure(String username) {
    lockouts.lock(username);
    try {
      FailedLogins next = FailedLogins.decode(lockouts.get(username)).afterFailure(policy, clock.instant());
      lockouts.put(username, next.encode(), policy.suspension().toSeconds(), TimeUnit.SECONDS);
      if (next.justLocked(policy)) {
        LOG.warn("event=user_locked user={} failures={} until={}", LogSafe.value(username),
            next.failures(), next.lockedUntil());
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
