package io.keepcluster.node.users;

import io.keepcluster.node.tokens.Revocations;
import io.keepcluster.shared.users.UserEntry;
import io.keepcluster.shared.users.UserRecord;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What a change of a user means beyond the record, done once, by the node where the change came
 * in (its file, its CLI, its management API): the audit line, the lockout cleared cluster-wide on
 * a new password or an unlock, and the user's live tokens refused everywhere on removal or
 * disabling. Other nodes only receive the record. Blocking (grid calls): run on a worker thread.
 */
public final class UserChangeEffects {

  private final LockoutRegistry lockouts;
  private final Revocations revocations;
  private final UserAudit audit;
  private final Clock clock;

  public UserChangeEffects(LockoutRegistry lockouts, Revocations revocations, UserAudit audit, Clock clock) {
    this.lockouts = lockouts;
    this.revocations = revocations;
    this.audit = audit;
    this.clock = clock;
  }

  /** {@code before} may be null (a user never seen); {@code origin} is cli, file or api. */
  public void changed(UserEntry before, UserEntry after, String origin) {
    String name = after.username();
    Optional<UserRecord> was = before == null ? Optional.empty() : before.record();
    Optional<UserRecord> now = after.record();
    if (now.isEmpty()) {
      if (was.isPresent()) {
        audit.log("user_removed", name, origin);
        cutOff(was.get());
        lockouts.clear(name);
      }
      return;
    }
    UserRecord user = now.get();
    if (was.isEmpty()) {
      // No lockout to clear: a removal cleared the name's count, and failures of a name nobody
      // had are counted apart (LockoutKey). Nothing remote here, so a bulk import stays fast.
      audit.log(user.active() ? "user_added" : "user_added_disabled", name, origin);
      return;
    }
    UserRecord old = was.get();
    boolean reported = false;
    if (old.active() && !user.active()) {
      audit.log("user_disabled", name, origin);
      cutOff(old);
      reported = true;
    } else if (!old.active() && user.active()) {
      audit.log("user_enabled", name, origin);
      reported = true;
    }
    if (!Objects.equals(old.passwordHash(), user.passwordHash())) {
      audit.log("password_changed", name, origin);
      lockouts.clear(name);
      reported = true;
    } else if (user.lockoutClearedAt() > old.lockoutClearedAt()) {
      unlock(name, origin);
      reported = true;
    }
    if (!old.dn().equals(user.dn())) {
      // Tokens carry the DN: the old one must not outlive the rename.
      cutOff(old);
    }
    if (!reported) {
      audit.log("user_updated", name, origin);
    }
  }

  public void unlock(String username, String origin) {
    lockouts.clear(username);
    audit.log("user_unlocked", username, origin);
  }

  public void logoutEverywhere(UserRecord user, String origin) {
    cutOff(user);
    audit.log("user_logged_out_everywhere", user.username(), origin);
  }

  private void cutOff(UserRecord user) {
    revocations.revokeIssuedUpTo(user.dn(), clock.instant());
  }
}
