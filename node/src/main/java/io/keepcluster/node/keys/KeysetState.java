package io.keepcluster.node.keys;

/** What a keyset does on this node right now (DESIGN.md section 8). */
public enum KeysetState {
  /** The one keyset new tokens are signed with. */
  SIGNING,
  /** Active and verifying; not (yet) the signer. */
  VERIFYING,
  /** Removed or {@code "active": false}: verifies tokens until they have expired, signs nothing. */
  RETIRING;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
