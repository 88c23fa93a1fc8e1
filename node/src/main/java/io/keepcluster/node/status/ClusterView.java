package io.keepcluster.node.status;

import java.util.List;

/** What health reports about the cluster this node belongs to. */
public interface ClusterView {

  String name();

  /** Node ids of the live members, this node included. */
  List<String> members();
}
