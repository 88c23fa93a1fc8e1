package io.keepcluster.node.config;

import io.keepcluster.shared.cluster.ClusterSecret;
import java.util.List;
import java.util.Optional;

/**
 * The {@code cluster} section. No members listed and no Kubernetes discovery means the node runs
 * alone and needs no shared secret. A secret, when present, has already passed
 * {@link ClusterSecret#parse}'s strength rule.
 */
public record ClusterSettings(
    String name, List<String> members, int port, Optional<String> networkInterface,
    boolean kubernetes, Optional<ClusterSecret> secret) {

  public ClusterSettings {
    members = List.copyOf(members);
  }

  public boolean multiNode() {
    return !members.isEmpty() || kubernetes;
  }

  @Override
  public String toString() {
    // Only whether a secret is set: not even ClusterSecret's redacted form (its length) is needed.
    return "ClusterSettings[name=" + name + ", members=" + members + ", port=" + port
        + ", interface=" + networkInterface.orElse("-") + ", kubernetes=" + kubernetes
        + ", secret=" + (secret.isPresent() ? "set" : "unset") + "]";
  }
}
