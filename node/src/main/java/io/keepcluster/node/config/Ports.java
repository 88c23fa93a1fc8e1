package io.keepcluster.node.config;

/** The four listening ports; 0 means "pick a free one". */
public record Ports(int api, int health, int management, int metrics) {}
