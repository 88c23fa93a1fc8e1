package io.keepcluster.node.status;

import java.util.List;
import java.util.Map;

/** What health reports about the cluster this node belongs to. */
public interface ClusterView {

  String name();

  /** Node ids of the live members that proved the cluster secret, this node included. */
  List<String> members();

  /** What a member says about itself (display only), by node id; {@code null} fields when unknown. */
  record MemberDetails(String version, String startedAt) {}

  /** Version and start of the members this node can see; empty when alone. */
  default Map<String, MemberDetails> memberDetails() {
    return Map.of();
  }

  /** Members that are in the grid but could not prove the secret. */
  default List<Intruder> intruders() {
    return List.of();
  }

  /** How many times this node's embedded member was lost and joined again. */
  default int rejoins() {
    return 0;
  }

  /** Grid writes refused since start, by offence (unauthenticated, replayed, deleted). */
  default Map<String, Long> refusedWrites() {
    return Map.of();
  }

  /** False while this node cannot take part in the cluster (member lost, secret not confirmed). */
  default boolean ready() {
    return true;
  }
}
