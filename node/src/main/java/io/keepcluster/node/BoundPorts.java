package io.keepcluster.node;

/** The ports a started node actually listens on (0 in the config means "pick one"). */
public record BoundPorts(int api, int health, int management, int metrics, int cluster) {

  /** The one line operators and tests read to find a node started on port 0. */
  public String announcement() {
    return "ports api=" + api + " health=" + health + " management=" + management
        + " metrics=" + metrics + " cluster=" + cluster;
  }
}
