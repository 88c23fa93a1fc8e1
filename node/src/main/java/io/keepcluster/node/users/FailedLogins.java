package io.keepcluster.node.users;

import io.keepcluster.node.config.LockoutPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The lockout rule in one place: consecutive failures of one username, guesses in flight, and
 * until when the username is suspended. Immutable.
 *
 * <p>A guess is reserved before its password is checked ({@link #begin}) and settled after
 * ({@link #finish}), so failures plus guesses in flight never exceed the policy's attempts: thirty
 * parallel guesses on several nodes get at most five password checks, never eight. A reservation
 * whose node died before settling it lapses after {@link #IN_FLIGHT_LIMIT}. A suspension that has
 * run out starts the count again.
 *
 * @param lockedUntil end of the suspension, or {@code null} when not suspended
 * @param inFlightSince when the oldest unsettled guess began, or {@code null} when none is
 */
public record FailedLogins(int failures, Instant lockedUntil, int inFlight, Instant inFlightSince) {

  public static final FailedLogins NONE = new FailedLogins(0, null, 0, null);
  /** A password check takes well under a second; a reservation older than this was lost. */
  static final Duration IN_FLIGHT_LIMIT = Duration.ofSeconds(30);

  /** The state with one more guess reserved, or empty when no guess may be made now. */
  public Optional<FailedLogins> begin(LockoutPolicy policy, Instant now) {
    FailedLogins current = at(now);
    if (current.lockedAt(now) || current.failures + current.inFlight >= policy.attempts()) {
      return Optional.empty();
    }
    return Optional.of(new FailedLogins(current.failures, null, current.inFlight + 1,
        current.inFlightSince == null ? now : current.inFlightSince));
  }

  /** The state once a reserved guess has been checked: a success clears the failures. */
  public FailedLogins finish(LockoutPolicy policy, Instant now, boolean succeeded) {
    FailedLogins current = at(now);
    int inFlight = Math.max(0, current.inFlight - 1);
    Instant since = inFlight == 0 ? null : current.inFlightSince;
    if (succeeded) {
      return new FailedLogins(0, null, inFlight, since);
    }
    int count = current.failures + 1;
    return new FailedLogins(count, count >= policy.attempts() ? now.plus(policy.suspension()) : null,
        inFlight, since);
  }

  public boolean lockedAt(Instant now) {
    return lockedUntil != null && now.isBefore(lockedUntil);
  }

  /** True for the failure that starts a suspension (logged once, not on every later failure). */
  public boolean justLocked(LockoutPolicy policy) {
    return failures == policy.attempts();
  }

  /** Nothing left worth keeping: no failures, no suspension, nothing in flight. */
  public boolean clear() {
    return failures == 0 && lockedUntil == null && inFlight == 0;
  }

  /** This state with an ended suspension and lapsed reservations dropped. */
  private FailedLogins at(Instant now) {
    boolean suspensionOver = lockedUntil != null && !now.isBefore(lockedUntil);
    boolean lapsed = inFlightSince != null && !now.isBefore(inFlightSince.plus(IN_FLIGHT_LIMIT));
    if (!suspensionOver && !lapsed) {
      return this;
    }
    return new FailedLogins(suspensionOver ? 0 : failures, suspensionOver ? null : lockedUntil,
        lapsed ? 0 : inFlight, lapsed ? null : inFlightSince);
  }

  /** {@code failures:lockedUntil:inFlight:inFlightSince} (millis, 0 for none), the form kept in the grid. */
  public String encode() {
    return failures + ":" + millis(lockedUntil) + ":" + inFlight + ":" + millis(inFlightSince);
  }

  public static FailedLogins decode(String text) {
    if (text == null) {
      return NONE;
    }
    String[] parts = text.split(":");
    return new FailedLogins(Integer.parseInt(parts[0]), instant(Long.parseLong(parts[1])),
        parts.length > 2 ? Integer.parseInt(parts[2]) : 0,
        parts.length > 3 ? instant(Long.parseLong(parts[3])) : null);
  }

  private static long millis(Instant at) {
    return at == null ? 0 : at.toEpochMilli();
  }

  private static Instant instant(long millis) {
    return millis == 0 ? null : Instant.ofEpochMilli(millis);
  }
}
