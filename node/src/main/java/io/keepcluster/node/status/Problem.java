package io.keepcluster.node.status;

/**
 * Something an operator must fix: which file (or component) and why. Never holds key material.
 *
 * @param degrading true when the node cannot do part of its job until this is resolved: {@code /health}
 *     then says {@code DEGRADED} (HTTP 503) instead of {@code UP}
 */
public record Problem(String file, String error, boolean degrading) {

  public Problem(String file, String error) {
    this(file, error, false);
  }
}
