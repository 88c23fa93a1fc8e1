package io.keepcluster.node.status;

/**
 * Something an operator must fix: its kind, which file (or component) and why. Never holds key
 * material.
 */
public record Problem(ProblemKind kind, String file, String error) {

  /** True when {@code /health} says {@code DEGRADED} (HTTP 503) while this is reported. */
  public boolean degrading() {
    return kind.degrades();
  }

  /** True when {@code /health/ready} answers 503 while this is reported. */
  public boolean unready() {
    return kind.unready();
  }
}
