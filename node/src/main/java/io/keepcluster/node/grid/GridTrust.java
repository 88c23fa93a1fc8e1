package io.keepcluster.node.grid;

import com.hazelcast.cluster.Member;

/** Which members proved the cluster secret, and whether this node may write to the grid yet. */
public interface GridTrust {

  /** Before any admission check: alone, trusting only itself. */
  GridTrust SELF_ONLY = new GridTrust() {
    @Override
    public boolean confirmed() {
      return false;
    }

    @Override
    public boolean admitted(Member member) {
      return member != null && member.localMember();
    }
  };

  /**
   * True once this node knows its secret is the cluster's (it is alone, or another member's
   * admission record opened). Until then it writes and repairs nothing: a node with a wrong secret
   * must not overwrite what the others wrote.
   */
  boolean confirmed();

  /** True for a member whose sealed admission record opened (this node included). */
  boolean admitted(Member member);
}
