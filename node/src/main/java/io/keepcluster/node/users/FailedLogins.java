package io.keepcluster.node.users;

import io.keepcluster.node.config.LockoutPolicy;
import java.time.Instant;

/**
 * The lockout rule in one place: consecutive failures of one user, and until when the user is
 * suspended. A suspension that has run out starts the count again. Immutable.
 *
 * @param lockedUntil end of the suspension, or {@code null} when the user is not suspended
 */
public record FailedLogins(int failures, Instant lockedUntil) {

  public static final FailedLogins NONE = new FailedLogins(0, null);

  /** The state after one more failure at {@code now}. */
  public FailedLogins afterFailure(LockoutPolicy policy, Instant now) {
    boolean suspensionOver = lockedUntil != null && !now.isBefore(lockedUntil);
    int count = suspensionOver ? 1 : failures + 1;
    return new FailedLogins(count, count >= policy.attempts() ? now.plus(policy.suspension()) : null);
  }

  public boolean lockedAt(Instant now) {
    return lockedUntil != null && now.isBefore(lockedUntil);
  }

  /** True for the failure that starts a suspension (logged once, not on every later failure). */
  public boolean justLocked(LockoutPolicy policy) {
    return failures == policy.attempts();
  }

  /** {@code failures:lockedUntilMillis} (0 when not suspended), the form kept in Hazelcast. */
  public String encode() {
    return failures + ":" + (lockedUntil == null ? 0 : lockedUntil.toEpochMilli());
  }

  public static FailedLogins decode(String text) {
    if (text == null) {
      return NONE;
    }
    String[] parts = text.split(":");
    long until = Long.parseLong(parts[1]);
    return new FailedLogins(Integer.parseInt(parts[0]), until == 0 ? null : Instant.ofEpochMilli(until));
  }
}
