package io.keepcluster.node.users;

/**
 * Counts failed logins per username (existing or not) and suspends a username after too many.
 * A guess is reserved before the password is checked and settled after, so parallel guesses can
 * never exceed the limit.
 */
public interface LockoutRegistry {

  /** Reserves one guess; false when the username is suspended or its guesses left are all in flight. */
  boolean tryBegin(String username);

  /** Settles a guess reserved by {@link #tryBegin}: a success clears the failures. */
  void finish(String username, boolean succeeded);

  /** True while the username is suspended. */
  boolean isLocked(String username);

  /** Until when the username is suspended; empty when it is not. */
  java.util.Optional<java.time.Instant> lockedUntil(String username);

  /** Forgets the username's failures and suspension (an operator's unlock or new password). */
  void clear(String username);
}
