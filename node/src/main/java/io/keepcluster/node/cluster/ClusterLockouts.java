package io.keepcluster.node.cluster;

import io.keepcluster.node.config.LockoutPolicy;
import io.keepcluster.node.grid.GridValue;
import io.keepcluster.node.grid.SealedMap;
import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.node.users.FailedLogins;
import io.keepcluster.node.users.LockoutRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed-login counts shared by every node, so five failures spread over the cluster suspend a
 * user everywhere. Each update runs under the grid's lock for that user (so parallel guesses on
 * several nodes never lose a count); records expire with the policy. A count removed from the grid
 * without an authentic record is put back by the sealed map: an intruder cannot unlock a user.
 * Blocking (remote calls): used from the login worker threads.
 */
public final class ClusterLockouts implements LockoutRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterLockouts.class);

  private final SealedMap lockouts;
  private final LockoutPolicy policy;
  private final Clock clock;

  public ClusterLockouts(SealedMap lockouts, LockoutPolicy policy, Clock clock) {
    this.lockouts = lockouts;
    this.policy = policy;
    this.clock = clock;
  }

  @Override
  public boolean isLocked(String username) {
    return current(username).lockedAt(clock.instant());
  }

  @Override
  public void recordFailure(String username) {
    Instant now = clock.instant();
    GridValue written = lockouts.update(username,
        before -> encode(decode(before).afterFailure(policy, now)),
        Optional.of(now.plus(policy.suspension())));
    FailedLogins next = decode(Optional.of(written.value()));
    if (next.justLocked(policy)) {
      LOG.warn("event=user_locked user={} failures={} until={}", LogSafe.value(username),
          next.failures(), next.lockedUntil());
    }
  }

  @Override
  public void recordSuccess(String username) {
    if (current(username).failures() > 0) {
      // An authentic "no failures" record: a removal would look like tampering to the others.
      Instant now = clock.instant();
      lockouts.update(username, before -> encode(FailedLogins.NONE), Optional.of(now.plus(policy.suspension())));
    }
  }

  private FailedLogins current(String username) {
    return decode(lockouts.get(username));
  }

  private static JsonObject encode(FailedLogins state) {
    return new JsonObject().put("failedLogins", state.encode());
  }

  private static FailedLogins decode(Optional<JsonObject> record) {
    return FailedLogins.decode(record.map(json -> json.getString("failedLogins")).orElse(null));
  }
}
