package io.keepcluster.node.config;

import java.time.Duration;

/**
 * What a node's HTTP servers tolerate from a client (config key {@code http}).
 *
 * @param idleTimeout a connection with no bytes read or written for this long is closed
 * @param requestHeaderTimeout a connection must deliver a complete request head (and then its body)
 *     within this long of opening, or of its previous response ending; slowloris clients that
 *     trickle one byte at a time never trip an idle timeout, so this is the deadline that
 *     catches them
 * @param maxConnections open connections per node, all ports together; a connection over the
 *     cap is closed at once
 * @param maxInitialLineLength longest request line (method, path and query, version) in bytes
 */
public record HttpLimits(
    Duration idleTimeout, Duration requestHeaderTimeout, int maxConnections, int maxInitialLineLength) {

  public HttpLimits {
    if (idleTimeout.isNegative() || idleTimeout.isZero()
        || requestHeaderTimeout.isNegative() || requestHeaderTimeout.isZero()) {
      throw new IllegalArgumentException("HTTP timeouts must be positive");
    }
    if (maxConnections < 1 || maxInitialLineLength < 1) {
      throw new IllegalArgumentException("HTTP limits must be positive");
    }
  }
}
