package io.keepcluster.node.metrics;

import io.keepcluster.node.status.ClusterView;
import io.keepcluster.node.status.ProblemKind;
import io.keepcluster.node.status.Problems;
import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.keys.KeysetStatus;
import io.keepcluster.node.tokens.TokenVerifier;
import io.keepcluster.node.users.HashingPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The product's own meters: counters, gauges, and latency histograms whose buckets
 * ({@code _bucket{le=...}}) let Prometheus compute quantiles across nodes.
 */
public final class NodeMetrics {

  /** Logins cost a password hash (about 55 ms on 2 cores): buckets from 5 ms to 5 s. */
  static final Duration[] LOGIN_BUCKETS = millis(5, 10, 25, 50, 75, 100, 150, 250, 500, 1000, 2500, 5000);
  /** An ECDSA or RSA check is well under a millisecond; buckets from 50 µs to 100 ms. */
  static final Duration[] VERIFY_BUCKETS = micros(50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 100000);
  static final Duration[] HTTP_BUCKETS = millis(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000);
  /** Replication is meant to take well under a second (DESIGN invariant 1). */
  static final Duration[] REPLICATION_BUCKETS = millis(10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000);

  private final MeterRegistry registry;
  /** Hot-path timers, looked up once: building a meter id per request costs more than the record. */
  private final Map<String, Timer> verifyTimers = new ConcurrentHashMap<>();
  private final Map<HttpSeries, Timer> httpTimers = new ConcurrentHashMap<>();

  private record HttpSeries(String server, String route, String method, int status) {}

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
    keysets.onReplicated(this::keysetReplicated);
    for (KeysetStatus state : KeysetStatus.onNode()) {
      Gauge.builder("keepcluster.keysets", keysets, k -> k.count(state)).tag("state", state.label())
          .description("Keysets on this node by state").register(registry);
    }
  }

  /**
   * {@code keepcluster_problems{kind}}: the problems reported now, per kind. Every kind is
   * registered, so an alert on {@code kind="secret"} reads 0 before anything went wrong.
   */
  public void watch(Problems problems) {
    for (ProblemKind kind : ProblemKind.values()) {
      Gauge.builder("keepcluster.problems", problems, p -> p.count(kind)).tag("kind", kind.id())
          .description("Problems listed on /health now, by kind (see the README's troubleshooting table)")
          .register(registry);
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

  /** A login attempt that ended with {@code outcome}, started at {@code startNanos} (System.nanoTime). */
  public void login(String outcome, long startNanos) {
    login(outcome);
    Timer.builder("keepcluster.login.duration").tag("outcome", outcome)
        .description("Time from a login request to its answer, password hash included")
        .serviceLevelObjectives(LOGIN_BUCKETS)
        .register(registry).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** One bearer token verified ({@code ok}) or refused ({@code rejected}) in {@code nanos}. */
  public void tokenVerified(String outcome, long nanos) {
    verifyTimers.computeIfAbsent(outcome, o -> Timer.builder("keepcluster.token.verify.duration")
            .tag("outcome", o)
            .description("Time to verify one bearer token: kid, signature, claims and logout list (a JWE is opened before)")
            .serviceLevelObjectives(VERIFY_BUCKETS)
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One HTTP request answered by {@code server} (api, health, management, metrics). */
  public void httpRequest(String server, String route, String method, int status, long nanos) {
    httpTimers.computeIfAbsent(new HttpSeries(server, route, method, status), series ->
            Timer.builder("keepcluster.http.server.requests")
                .tags("server", series.server(), "route", series.route(), "method", series.method(),
                    "status", Integer.toString(series.status()))
                .description("HTTP requests by server (port), route template, method and status")
                .serviceLevelObjectives(HTTP_BUCKETS)
                .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** How long a keyset took from publication on its origin node to being applied here. */
  public void keysetReplicated(Duration lag) {
    Timer.builder("keepcluster.keyset.replication.lag")
        .description("From a keyset's publication on its origin node to its use on this node"
            + " (the two clocks' skew included)")
        .serviceLevelObjectives(REPLICATION_BUCKETS)
        .register(registry).record(lag.isNegative() ? Duration.ZERO : lag);
  }

  /** One fetch of an external provider's JWKS (and discovery): {@code ok}, {@code error} or {@code unreachable}. */
  public void jwksFetched(String provider, String outcome) {
    Counter.builder("keepcluster.jwks.fetches").tag("provider", provider).tag("outcome", outcome)
        .description("JWKS fetches of external JWT providers by outcome")
        .register(registry).increment();
  }

  /**
   * JVM memory, GC, threads, class loading, and the process's CPU, uptime and file descriptors
   * ({@code jvm_*}, {@code process_*}, {@code system_*}). The GC binder listens to JMX
   * notifications: it is closed with {@code vertx}.
   */
  public void bindJvm(Vertx vertx) {
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> stop() {
        gc.close();
        return Future.succeededFuture();
      }
    });
  }

  private static Duration[] millis(long... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofMillis(values[i]);
    }
    return out;
  }

  private static Duration[] micros(long... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(values[i] * 1000);
    }
    return out;
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
