package io.keepcluster.node.config;

import java.util.List;
import java.util.Optional;

/**
 * The {@code cluster} section. No members listed and no Kubernetes discovery means the node runs
 * alone and needs no shared secret.
 */
public record ClusterSettings(
    String name, List<String> members, int port, Optional<String> networkInterface,
    boolean kubernetes, Optional<String> secret) {

  public ClusterSettings {
    members = List.copyOf(members);
  }

  public boolean multiNode() {
    return !members.isEmpty() || kubernetes;
  }

  @Override
  public String toString() {
    // The secret never leaves this object in text form.
    return "ClusterSettings[name=" + name + ", members=" + members + ", port=" + port
        + ", interface=" + networkInterface.orElse("-") + ", kubernetes=" + kubernetes
        + ", secret=" + (secret.isPresent() ? "set" : "unset") + "]";
  }
}
