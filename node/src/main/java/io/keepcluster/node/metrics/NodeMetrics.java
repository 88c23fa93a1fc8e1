package io.keepcluster.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The product's own counters, next to the HTTP metrics Vert.x records. */
public final class NodeMetrics {

  private final MeterRegistry registry;

  public NodeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void login(String outcome) {
    Counter.builder("keepcluster.logins").tag("outcome", outcome)
        .description("Login attempts on POST /api/v1/auth by outcome")
        .register(registry).increment();
  }

  public void tokenRejected(String reason) {
    Counter.builder("keepcluster.tokens.rejected").tag("reason", reason)
        .description("Bearer tokens refused, by reason code")
        .register(registry).increment();
  }
}
