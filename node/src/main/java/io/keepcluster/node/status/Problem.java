package io.keepcluster.node.status;

/** Something an operator must fix: which file (or component) and why. Never holds key material. */
public record Problem(String file, String error) {}
