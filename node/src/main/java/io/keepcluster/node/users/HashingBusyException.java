package io.keepcluster.node.users;

/** The hashing pool and its queue are full: the caller should answer 503 and retry later. */
public final class HashingBusyException extends Exception {

  public HashingBusyException(int threads, int maxQueued) {
    super("password hashing is saturated: " + threads + " running and " + maxQueued + " waiting");
  }
}
