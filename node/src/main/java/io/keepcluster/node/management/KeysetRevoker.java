package io.keepcluster.node.management;

/** Removes a keyset at once (tokens it signed stop verifying). Blocking. */
@FunctionalInterface
public interface KeysetRevoker {

  /** @return false when no keyset has this kid */
  boolean revoke(String kid);
}
