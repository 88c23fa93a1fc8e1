package io.keepcluster.node.status;

/**
 * A cluster member that could not prove the cluster secret (or claims another member's node id):
 * its address, the node id it claims, and why it is not trusted.
 */
public record Intruder(String member, String node, String reason) {}
