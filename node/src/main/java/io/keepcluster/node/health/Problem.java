package io.keepcluster.node.health;

/** Something an operator must fix: which file (or component) and why. Never holds key material. */
public record Problem(String file, String error) {}
