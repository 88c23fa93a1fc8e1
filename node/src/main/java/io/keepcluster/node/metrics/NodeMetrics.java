package io.keepcluster.node.metrics;

import io.keepcluster.node.status.ClusterView;
import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.keys.KeysetStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
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

  /** Gauges an operator alerts on: cluster size and keysets by state. */
  public void watch(ClusterView cluster, KeysetRegistry keysets) {
    Gauge.builder("keepcluster.cluster.members", cluster, c -> c.members().size())
        .description("Live cluster members seen by this node").register(registry);
    for (String offence : cluster.refusedWrites().keySet()) {
      FunctionCounter.builder("keepcluster.grid.refused", cluster,
              c -> c.refusedWrites().getOrDefault(offence, 0L))
          .tag("offence", offence)
          .description("Grid records not applied: unauthenticated, replayed, or deleted without an authentic record")
          .register(registry);
    }
    Gauge.builder("keepcluster.cluster.intruders", cluster, c -> c.intruders().size())
        .description("Members in the grid that could not prove the cluster secret").register(registry);
    for (KeysetStatus state : KeysetStatus.onNode()) {
      Gauge.builder("keepcluster.keysets", keysets, k -> k.count(state)).tag("state", state.label())
          .description("Keysets on this node by state").register(registry);
    }
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
