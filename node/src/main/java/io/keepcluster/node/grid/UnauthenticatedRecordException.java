package io.keepcluster.node.grid;

/**
 * A grid value that does not open with this node's cluster key: written by a member without the
 * secret, altered, replayed under another key, or not a KeepCluster record at all. Carries no
 * stack trace: it is an expected outcome on an untrusted transport, counted and reported.
 */
public final class UnauthenticatedRecordException extends Exception {

  public UnauthenticatedRecordException(String reason) {
    super(reason, null, false, false);
  }
}
