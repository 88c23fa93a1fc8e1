package io.keepcluster.node.users;

/** Counts failed logins and suspends a user after too many. */
public interface LockoutRegistry {

  boolean isLocked(String username);

  void recordFailure(String username);

  void recordSuccess(String username);
}
