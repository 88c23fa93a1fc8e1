package io.keepcluster.node.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How the node's HTTP servers listen and stop, beyond their ports: the addresses of the
 * management and metrics ports ({@code BIND} keeps governing the API and health ports), TLS, and
 * the drain period of a graceful shutdown.
 *
 * @param managementBind address of the management port ({@code MANAGEMENT_BIND}, default
 *     {@code 127.0.0.1}: the console is not for the whole network unless an operator says so)
 * @param metricsBind address of the metrics port ({@code METRICS_BIND}, default {@code 127.0.0.1})
 * @param tls the certificate of the API and management ports; empty means plain HTTP
 * @param shutdownDrain how long a stopping node keeps serving after it reported not ready, so load
 *     balancers notice before the listeners close ({@code shutdownDrainSeconds})
 */
public record ServerSettings(String managementBind, String metricsBind, Optional<TlsFiles> tls,
    Duration shutdownDrain) {

  public ServerSettings {
    if (shutdownDrain.isNegative()) {
      throw new IllegalArgumentException("the shutdown drain must not be negative");
    }
  }
}
