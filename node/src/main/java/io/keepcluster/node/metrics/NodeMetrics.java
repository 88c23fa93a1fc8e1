package io.keepcluster.node.metrics;

import io.keepcluster.node.status.ClusterView;
import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.keys.KeysetStatus;
import io.keepcluster.node.tokens.TokenVerifier;
import io.keepcluster.node.users.HashingPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

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

  /** Bearer tokens answered from the verified-token cache, and those verified in full. */
  public void watch(TokenVerifier verifier) {
    FunctionCounter.builder("keepcluster.token.cache", verifier, TokenVerifier::cacheHits).tag("result", "hit")
        .description("Bearer tokens answered from the verified-token cache (cheap checks re-run)")
        .register(registry);
    FunctionCounter.builder("keepcluster.token.cache", verifier, TokenVerifier::cacheMisses).tag("result", "miss")
        .description("Bearer tokens not in the verified-token cache (full verification)")
        .register(registry);
  }

  /** Gauges of the password hashing pool that logins and management Basic auth share. */
  public void watch(HashingPool hashing) {
    Gauge.builder("keepcluster.hashing.queued", hashing, HashingPool::queued)
        .description("Password hashes waiting for a hashing thread (logins and management Basic auth)")
        .register(registry);
    Gauge.builder("keepcluster.hashing.active", hashing, HashingPool::active)
        .description("Password hashes being computed").register(registry);
  }

  /** A password check refused without hashing because the pool and its queue were full. */
  public void hashingRejected(String caller) {
    Counter.builder("keepcluster.hashing.rejected").tag("caller", caller)
        .description("Password checks answered 503 at once because the hashing queue was full")
        .register(registry).increment();
  }

  /** Open HTTP connections on all of this node's ports. */
  public void watchConnections(IntSupplier open) {
    Gauge.builder("keepcluster.http.connections", open, IntSupplier::getAsInt)
        .description("Open HTTP connections, all ports together").register(registry);
  }

  /** A connection closed by the node: {@code over_limit} at once, or {@code request_timeout}. */
  public void connectionClosed(String reason) {
    Counter.builder("keepcluster.http.connections.closed").tag("reason", reason)
        .description("HTTP connections the node closed: over the connection cap, or no complete request in time")
        .register(registry).increment();
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
