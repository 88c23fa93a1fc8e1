package io.keepcluster.node;

import io.keepcluster.node.status.ClusterView;
import java.util.List;

/** The cluster view of a node that runs alone. */
final class SingleNodeCluster implements ClusterView {

  private final String name;
  private final String nodeId;

  SingleNodeCluster(String name, String nodeId) {
    this.name = name;
    this.nodeId = nodeId;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> members() {
    return List.of(nodeId);
  }
}
