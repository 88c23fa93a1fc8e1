package io.keepcluster.node.http;

/**
 * One port the node listens on, as an operator names it.
 *
 * @param name the role in logs and errors ({@code api}, {@code health}, ...)
 * @param key the setting that chose the port ({@code PORT}, {@code HEALTHCHECKPORT}, ...)
 * @param host the bind address
 * @param port the configured port; 0 picks a free one
 * @param tls true when the port speaks HTTPS with the node's certificate
 */
public record PortSpec(String name, String key, String host, int port, boolean tls) {

  /** {@code api port 127.0.0.1:8880 (PORT)}, the way errors name a port. */
  String describe(int actual) {
    return name + " port " + host + ":" + actual + " (" + key + ")";
  }
}
