package io.keepcluster.node.cluster;

import io.keepcluster.node.config.LockoutPolicy;
import io.keepcluster.node.grid.GridValue;
import io.keepcluster.node.grid.SealedMap;
import io.keepcluster.node.users.FailedLogins;
import io.keepcluster.node.users.LockoutKey;
import io.keepcluster.node.users.LockoutRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed-login counts shared by every node, so five failures spread over the cluster suspend a
 * username everywhere. Each reservation and settlement runs under the grid's lock for that name
 * and reads the grid's newest record first, so parallel guesses on several nodes never exceed the
 * limit. Records expire with the policy. A count removed from the grid without an authentic
 * record is put back by the sealed map: an intruder cannot unlock anybody. Blocking (remote
 * calls): used from the login worker threads.
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
  public boolean tryBegin(String username) {
    Instant now = clock.instant();
    AtomicBoolean admitted = new AtomicBoolean();
    lockouts.update(username, before -> {
      FailedLogins current = decode(before);
      Optional<FailedLogins> next = current.begin(policy, now);
      admitted.set(next.isPresent());
      return encode(next.orElse(current));
    }, Optional.of(now.plus(policy.suspension())));
    return admitted.get();
  }

  @Override
  public void finish(String username, boolean succeeded) {
    Instant now = clock.instant();
    GridValue written = lockouts.update(username,
        before -> encode(decode(before).finish(policy, now, succeeded)),
        Optional.of(now.plus(policy.suspension())));
    FailedLogins next = decode(Optional.of(written.value()));
    if (next.justLocked(policy)) {
      LOG.warn("event=user_locked user={} failures={} until={}", LockoutKey.forLog(username),
          next.failures(), next.lockedUntil());
    }
  }

  @Override
  public Optional<Instant> lockedUntil(String username) {
    FailedLogins state = decode(lockouts.get(username));
    return state.lockedAt(clock.instant()) ? Optional.of(state.lockedUntil()) : Optional.empty();
  }

  /** A newer, empty record: every node sees the count cleared (a delete would be repaired). */
  @Override
  public void clear(String username) {
    Instant now = clock.instant();
    lockouts.update(username, before -> encode(FailedLogins.NONE),
        Optional.of(now.plus(policy.suspension())));
  }

  @Override
  public boolean isLocked(String username) {
    return decode(lockouts.get(username)).lockedAt(clock.instant());
  }

  private static JsonObject encode(FailedLogins state) {
    return new JsonObject().put("failedLogins", state.encode());
  }

  private static FailedLogins decode(Optional<JsonObject> record) {
    return FailedLogins.decode(record.map(json -> json.getString("failedLogins")).orElse(null));
  }
}
