package io.keepcluster.node.grid;

/**
 * Whether this node's cluster secret is the cluster's, from what it sees of the other members.
 * Pure, so every case is a unit test.
 *
 * <p>The rule keeps two promises. A node that cannot prove its secret to anyone among members that
 * cannot prove theirs to it is the odd one out: it applies nothing and is not ready. And a member
 * without the secret (an attacker, however many members it starts) never takes an honest node out
 * of service: once a node is confirmed it stays confirmed while any other member proves the secret
 * to it, and a starting node is confirmed at once by a member that proves the secret and says it is
 * confirmed itself (a claim sealed with the secret, so no intruder can make it).
 */
final class SecretVerdict {

  private SecretVerdict() {}

  /**
   * @param was this node was confirmed at the previous look (also before a rejoin of its member)
   * @param others members in the grid besides this node
   * @param admitted members whose admission record opens with this node's secret
   * @param vouched at least one admitted member says it is confirmed itself
   * @param refused members that proved nothing within the grace period (or reuse a proven node id)
   */
  static boolean confirmed(boolean was, int others, int admitted, boolean vouched, int refused) {
    if (others == 0) {
      return true;
    }
    if (admitted > 0) {
      // Someone shares our secret. Intruders arriving later never undo that; a node still deciding
      // follows a confirmed peer, else the larger side.
      return was || vouched || 1 + admitted >= refused;
    }
    if (refused == 0) {
      return was; // everyone else is new: wait for their admissions
    }
    // Nobody proves our secret: one against one keeps what we knew (either could be wrong, and
    // the one already serving keeps serving); outnumbered by members we cannot verify, step down.
    return was && refused == 1;
  }
}
