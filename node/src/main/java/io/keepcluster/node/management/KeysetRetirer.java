package io.keepcluster.node.management;

/** Retires a keyset everywhere: it stops signing at once and verifies until its tokens expire. Blocking. */
@FunctionalInterface
public interface KeysetRetirer {

  /** @return false when no published (verifying or signing) keyset has this kid */
  boolean retire(String kid);
}
