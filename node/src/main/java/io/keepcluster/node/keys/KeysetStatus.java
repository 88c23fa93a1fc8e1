package io.keepcluster.node.keys;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The one lifecycle of a keyset, used by the replicated record, the lifecycle planner and the
 * health view (DESIGN.md sections 7 and 8):
 *
 * <pre>
 *   PUBLISHED ──(rolloverLeadSeconds after publication)──▶ VERIFYING (a node's view only)
 *   VERIFYING ──(every live member verifies it, or the ack wait ran out)──▶ SIGNING (per node)
 *       │                                                                      │
 *       └──────────── files removed / "active": false ────────▶ RETIRING ◀────┘
 *                                                                  │ maxJwtDuration later
 *                                                                  ▼
 *   any live status ──(management revoke)──▶ REVOKED              GONE
 * </pre>
 *
 * A record in the store is VERIFYING, RETIRING, GONE or REVOKED: whether a node signs with a
 * VERIFYING keyset is that node's decision (two-phase activation), so SIGNING appears only in a
 * node's own view, as does PUBLISHED (a VERIFYING record within its rollover lead). GONE and REVOKED are tombstones: the record stays (the grid never sees a
 * physical delete), nothing verifies with it, and the same key material is never published again.
 * A NAME refused because the cluster holds other key material is a problem report, not a status.
 */
public enum KeysetStatus {
  /**
   * A node's view of a VERIFYING keyset within its rollover lead: it verifies and is in the JWKS,
   * but signs nothing before {@code rolloverLeadSeconds} after its publication. Never stored.
   */
  PUBLISHED,
  /** Published: every node verifies it; a node signs with it once every live member does. */
  VERIFYING,
  /** The one keyset this node signs new tokens with. Never stored in a record. */
  SIGNING,
  /** Removed or {@code "active": false}: verifies tokens until they have expired, signs nothing. */
  RETIRING,
  /** Retired and past {@code maxJwtDuration}: forgotten everywhere (tombstone). */
  GONE,
  /** Revoked by an operator: forgotten everywhere at once, its files deleted (tombstone). */
  REVOKED;

  /** The statuses a node's health view and metrics show for the keysets it holds. */
  public static Set<KeysetStatus> onNode() {
    return EnumSet.of(PUBLISHED, SIGNING, VERIFYING, RETIRING);
  }

  /** GONE and REVOKED: nothing verifies with the keyset, and its key material never comes back. */
  public boolean tombstone() {
    return this == GONE || this == REVOKED;
  }

  /** The lower-case label {@code /health} and metrics use. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
