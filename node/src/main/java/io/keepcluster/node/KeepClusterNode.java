package io.keepcluster.node;

import static io.keepcluster.node.http.RequestObservation.observed;

import io.keepcluster.node.cluster.ClusterTopology;
import io.keepcluster.node.config.ConfigLoader;
import io.keepcluster.node.config.ConfigRecheck;
import io.keepcluster.node.config.DominoLoginSwitch;
import io.keepcluster.node.config.NodeConfig;
import io.keepcluster.node.health.HealthReporter;
import io.keepcluster.node.health.HealthRoutes;
import io.keepcluster.node.status.ProblemKind;
import io.keepcluster.node.status.ProblemReporter;
import io.keepcluster.node.status.Problems;
import io.keepcluster.node.health.Readiness;
import io.keepcluster.node.http.ApiRoutes;
import io.keepcluster.node.config.ConfigException;
import io.keepcluster.node.config.ServerSettings;
import io.keepcluster.node.http.ConnectionBudget;
import io.keepcluster.node.http.Drain;
import io.keepcluster.node.http.FreePort;
import io.keepcluster.node.http.HttpServers;
import io.keepcluster.node.http.JsonErrors;
import io.keepcluster.node.http.Listener;
import io.keepcluster.node.http.PortSpec;
import io.keepcluster.node.http.RequestObservation;
import io.keepcluster.node.keys.CryptoWarmup;
import io.keepcluster.node.keys.EphemeralKey;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.keys.KeysetScan;
import io.keepcluster.node.keys.KeysetScanner;
import io.keepcluster.node.keys.KeysetWatcher;
import io.keepcluster.node.management.ManagementAccounts;
import io.keepcluster.node.management.ManagementRoutes;
import io.keepcluster.node.management.UsersApi;
import io.keepcluster.node.metrics.MetricsRoutes;
import io.keepcluster.node.metrics.NodeMetrics;
import io.keepcluster.node.providers.ProviderRegistry;
import io.keepcluster.node.providers.ProviderTokenVerifier;
import io.keepcluster.node.providers.RefreshRules;
import io.keepcluster.node.providers.replication.ProviderPersistence;
import io.keepcluster.node.providers.replication.ProviderSync;
import io.keepcluster.node.shutdown.ShutdownSequence;
import io.keepcluster.node.tls.TlsMaterial;
import io.keepcluster.node.tls.TlsMaterialException;
import io.keepcluster.node.tls.TlsReloader;
import io.keepcluster.node.status.KeyStatusSource;
import io.keepcluster.node.tokens.JweUnwrapper;
import io.keepcluster.node.tokens.Revocations;
import io.keepcluster.node.tokens.TokenChecks;
import io.keepcluster.node.tokens.TokenIssuer;
import io.keepcluster.node.tokens.TokenVerifier;
import io.keepcluster.node.topology.Topology;
import io.keepcluster.node.users.HashingPool;
import io.keepcluster.node.users.LoginService;
import io.keepcluster.node.users.UserAdministration;
import io.keepcluster.node.users.UserAudit;
import io.keepcluster.node.users.UserChangeEffects;
import io.keepcluster.shared.config.ConfigOverlay;
import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.password.PasswordHashingParameters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KeepCluster node: wires the components and owns their lifecycle. Everything that varies
 * (config, environment, clock, password cost) comes in through {@link Settings}.
 */
public final class KeepClusterNode {

  private static final Logger LOG = LoggerFactory.getLogger(KeepClusterNode.class);

  /** What a node needs from its launcher. */
  public record Settings(
      NodeConfig config, Map<String, String> env, Clock clock, PasswordHashingParameters hashing) {

    /** Re-reads the same folder with the same environment (for reload checks). */
    ConfigLoader loader() {
      return new ConfigLoader(ConfigOverlay.withBundledDefaults(), env);
    }
  }

  private final NodeIdentity identity;
  private final BoundPorts ports;
  private final HealthReporter health;
  private final List<Listener> listeners;
  private final Optional<TlsReloader> tls;
  private final ShutdownSequence shutdown;
  private final Duration drain;

  /** The {@code /health} problem key of a missing {@code publicUrl}. */
  static final String PUBLIC_URL_PROBLEM = "publicUrl";
  /** Pause after the last file event before scanning: a keyset is four files. */
  private static final Duration WATCH_DEBOUNCE = Duration.ofMillis(100);
  /**
   * Backstop for events the WatchService misses (drops are picked up by its events within the
   * debounce); an unchanged folder costs one listing with each entry's metadata, no reads.
   */
  private static final Duration RESCAN_EVERY = Duration.ofSeconds(10);
  /** How long an incomplete keyset may stay incomplete before it is reported. */
  private static final Duration PROBLEM_GRACE = Duration.ofSeconds(2);
  /** How often the TLS files are compared with the certificate served. */
  private static final Duration TLS_RECHECK = Duration.ofSeconds(1);

  private KeepClusterNode(NodeIdentity identity, BoundPorts ports, HealthReporter health,
      List<Listener> listeners, Optional<TlsReloader> tls, ShutdownSequence shutdown, Duration drain) {
    this.identity = identity;
    this.ports = ports;
    this.health = health;
    this.listeners = List.copyOf(listeners);
    this.tls = tls;
    this.shutdown = shutdown;
    this.drain = drain;
  }

  public static Future<KeepClusterNode> start(Settings settings) {
    SecureRandom random = new SecureRandom();
    NodeIdentity identity = NodeIdentity.create(settings.env(), random);
    Clock clock = settings.clock();
    Problems problems = new Problems();
    NodeConfig config = resolvePublicUrl(settings.config(), identity.id(), problems);
    Optional<TlsMaterial> tlsMaterial;
    try {
      // Before anything starts: unusable TLS files are a configuration error, like a bad key.
      tlsMaterial = config.servers().tls().isEmpty() ? Optional.empty()
          : Optional.of(TlsMaterial.load(config.servers().tls().get()));
    } catch (TlsMaterialException e) {
      return Future.failedFuture(new ConfigException(e.getMessage()));
    }

    EphemeralKey ephemeral = EphemeralKey.create(identity.id(), config.tokens().issuer(), random);
    KeyRing keyRing = new KeyRing(new KeyRingSnapshot(ephemeral.signing(), List.of(ephemeral.verifying())));
    KeysetRegistry keysets = new KeysetRegistry(keyRing, ephemeral, config.tokens().maxDuration(),
        clock, identity.id());
    ProblemReporter keysetProblems = new ProblemReporter(problems, ProblemKind.KEYSET_FILE, clock,
        PROBLEM_GRACE, "keyset_refused");

    Topology topology;
    try {
      topology = config.cluster().multiNode()
          ? ClusterTopology.start(config, identity.id(), keysets, problems, keysetProblems, clock)
          : StandaloneTopology.start(config, identity.id(), keysets, keysetProblems, clock);
    } catch (Exception e) {
      LOG.error("event=node_start_failed node={} reason=\"cannot join the cluster: {}\"", identity.id(), e.toString());
      return Future.failedFuture(new IllegalStateException("cannot join the cluster: " + e.getMessage(), e));
    }
    DominoLoginSwitch dominoLogin = new DominoLoginSwitch(config.dominoLoginDisabled());
    // The providers start once Vert.x exists; until then a config change has nothing to reach.
    AtomicReference<ProviderSync> providerSync = new AtomicReference<>();
    ConfigRecheck configRecheck = new ConfigRecheck(settings.loader(), config, problems, dominoLogin,
        next -> Optional.ofNullable(providerSync.get()).ifPresent(sync -> sync.configChanged(next)));
    AtomicReference<KeysetScan> lastRechecked = new AtomicReference<>();
    KeysetWatcher watcher = new KeysetWatcher(new KeysetScanner(config.configDir()),
        topology.keysetSink().andThen(scan -> {
          // The scanner answers its previous findings when no entry of the folder changed (name,
          // size, mtime): then no overlay changed either, and the re-check has nothing to stamp.
          if (!scan.sameFindings(lastRechecked.getAndSet(scan))) {
            configRecheck.run();
          }
        }), WATCH_DEBOUNCE, RESCAN_EVERY,
        problems, KeysetWatcher.DEFAULT_SCAN_BOUND);
    try {
      watcher.start();
      topology.awaitInitialSync();
    } catch (Exception e) {
      watcher.close();
      topology.close();
      return Future.failedFuture(new IllegalStateException("initial keyset sync failed: " + e.getMessage(), e));
    }

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            // Vert.x's HTTP server series mix the four ports; RequestObservation tags them by server.
            .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    NodeMetrics metrics = new NodeMetrics(registry);
    metrics.bindJvm(vertx);
    PasswordHasher hasher = new PasswordHasher(settings.hashing());
    LoginService logins = new LoginService(topology.users(), hasher, topology.lockouts(),
        new UserAudit(identity.id()));
    int hashingThreads = config.login().hashingThreads();
    WorkerExecutor hashingThreadPool = vertx.createSharedWorkerExecutor("keepcluster-password-hashing",
        hashingThreads);
    HashingPool hashingPool = new HashingPool(hashingThreadPool, hashingThreads, config.login().maxQueued());
    metrics.watch(hashingPool);
    ConnectionBudget connections = new ConnectionBudget(config.http(), metrics);

    Readiness readiness = new Readiness();
    HealthReporter health = new HealthReporter(identity.id(), identity.version(), keyRing,
        ephemeral.kid(), topology.clusterView(), problems, readiness);
    ProviderRegistry providers = ProviderRegistry.create(vertx, clock, RefreshRules.DEFAULT);
    providers.onFetch(metrics::jwksFetched);
    ProviderSync sync = new ProviderSync(identity.id(), topology.providers(), providers,
        new ProviderPersistence(config.configDir()), problems, !config.cluster().multiNode());
    try {
      sync.start(config);
      providerSync.set(sync);
    } catch (Exception e) {
      sync.close();
      providers.close();
      watcher.close();
      topology.close();
      vertx.close();
      return Future.failedFuture(new IllegalStateException("providers not started: " + e.getMessage(), e));
    }
    health.keyStatus(new KeyStatusSource() {
      @Override
      public JsonArray keysets() {
        return keysets.keysets();
      }

      @Override
      public JsonArray providers() {
        return providers.health();
      }
    });
    metrics.watch(topology.clusterView(), keysets);
    metrics.watch(problems);

    Revocations revocations = topology.revocations();
    TokenVerifier verifier = new TokenVerifier(keyRing, config.tokens(), revocations, clock,
        new JweUnwrapper(keysets::decryptionKey), new ProviderTokenVerifier(
            providers, new TokenChecks(config.tokens(), revocations, clock)));
    metrics.watch(verifier);
    ApiRoutes.Services services = new ApiRoutes.Services(config, keyRing,
        new TokenIssuer(keyRing, config.tokens(), clock), verifier,
        logins, revocations, hashingPool, metrics, dominoLogin);
    ManagementAccounts accounts = new ManagementAccounts(config.managementAccounts(), hasher,
        topology.managementLockouts());
    UsersApi usersApi = new UsersApi(new UserAdministration(topology.users(), topology.lockouts(),
        new UserChangeEffects(topology.lockouts(), revocations, new UserAudit(identity.id()), clock)),
        hasher, hashingPool);
    ManagementRoutes.Services management = new ManagementRoutes.Services(accounts, hashingPool, health,
        config.configDir(), clock, watcher::scanNow, topology.revoker(), keysets, metrics,
        topology.retirer(), settings.env(), clock.instant(), topology.clusterView(), usersApi,
        tlsMaterial.isPresent());

    String bind = config.bindAddress();
    ServerSettings serving = config.servers();
    boolean https = tlsMaterial.isPresent();
    int apiInstances = Math.max(1, Runtime.getRuntime().availableProcessors());
    Drain drain = new Drain(ShutdownSequence.IN_FLIGHT_WAIT);
    HttpServers servers = new HttpServers(vertx, connections, drain, tlsMaterial.map(TlsMaterial::keyCert));
    List<Listener> listeners = new CopyOnWriteArrayList<>();
    return servers.listen(new PortSpec("api", "PORT", bind, config.ports().api(), https),
            observed(RequestObservation.API, metrics, v -> ApiRoutes.create(v, services)), apiInstances)
        .onSuccess(listeners::add)
        .compose(api -> servers.listen(new PortSpec("health", "HEALTHCHECKPORT", bind, config.ports().health(), false),
            observed(RequestObservation.HEALTH, metrics, v -> HealthRoutes.create(v, health)), 1))
        .onSuccess(listeners::add)
        .compose(healthPort -> servers.listen(new PortSpec("management", "MANAGMENTPORT", serving.managementBind(),
            config.ports().management(), https),
            observed(RequestObservation.MANAGEMENT, metrics, v -> ManagementRoutes.create(v, management)), 1))
        .onSuccess(listeners::add)
        .compose(managementPort -> servers.listen(new PortSpec("metrics", "METRICSPORT", serving.metricsBind(),
            config.ports().metrics(), false),
            observed(RequestObservation.METRICS, metrics, v -> JsonErrors.install(MetricsRoutes.create(v, registry))), 1))
        .onSuccess(listeners::add)
        .map(metricsPort -> {
          BoundPorts ports = new BoundPorts(listeners.get(0).port(), listeners.get(1).port(),
              listeners.get(2).port(), listeners.get(3).port(), topology.clusterPort());
          Optional<TlsReloader> reloader = tlsMaterial.map(material -> new TlsReloader(vertx,
              serving.tls().orElseThrow(), material, listeners.stream().filter(l -> l.spec().tls()).toList(),
              new ProblemReporter(problems, ProblemKind.TLS, clock, PROBLEM_GRACE), TLS_RECHECK));
          reloader.ifPresent(TlsReloader::start);
          ShutdownSequence shutdown = new ShutdownSequence(new ShutdownSequence.Parts(identity.id(), readiness,
              drain, listeners, connections, hashingPool, () -> {
                reloader.ifPresent(TlsReloader::close);
                watcher.close();
                sync.close();
                providers.close();
              }, topology, vertx));
          readiness.markReady();
          // After ready, not during the start: on a node pinned to one core it only competed with
          // the initial keyset load (which warms parsing itself); it is for the first later drop.
          CryptoWarmup.startInBackground();
          LOG.info("event=node_started node={} version={} {} listen=\"{}\" tls={} signing={} members={}"
              + " issuer={} rollover_lead_s={}", identity.id(), identity.version(), ports.announcement(),
              addresses(listeners), tlsMaterial.map(TlsMaterial::describe).orElse("off"),
              keyRing.current().signer().kid(), topology.clusterView().members(),
              config.tokens().issuer(), config.rolloverLead().toSeconds());
          return new KeepClusterNode(identity, ports, health, listeners, reloader, shutdown,
              serving.shutdownDrain());
        })
        .onFailure(failure -> LOG.error("event=node_start_failed node={} reason=\"{}\"",
            identity.id(), failure instanceof RuntimeException && failure.getMessage() != null
                ? failure.getMessage() : failure.toString()))
        .recover(failure -> {
          // Completing on a closed Vert.x would lose the failure: hand it over first, then close.
          watcher.close();
          sync.close();
          providers.close();
          topology.close();
          vertx.close();
          return Future.failedFuture(failure);
        });
  }

  private static String addresses(List<Listener> listeners) {
    return listeners.stream().map(Listener::address).collect(Collectors.joining(" "));
  }

  /**
   * Without {@code publicUrl} a single node stands in with {@code http://localhost:PORT}, the
   * API port it is about to bind (port 0 is resolved to a free port first, so the issuer is known
   * before any key exists). Listed on {@code /health} as a problem, without degrading the node.
   */
  private static NodeConfig resolvePublicUrl(NodeConfig config, String nodeId, Problems problems) {
    if (!config.publicUrl().fallback()) {
      return config;
    }
    int port = config.ports().api() == 0 ? FreePort.pick(config.bindAddress()) : config.ports().api();
    NodeConfig resolved = config.withApiPort(port);
    String message = "publicUrl (env KEEP_PUBLIC_URL) is not set: this node publishes "
        + resolved.publicUrl().url() + " and signs with issuer " + resolved.tokens().issuer()
        + "; set publicUrl to the URL clients use";
    problems.report(ProblemKind.PUBLIC_URL, PUBLIC_URL_PROBLEM, message);
    LOG.warn("event=public_url_fallback node={} public_url={} issuer={}", nodeId,
        resolved.publicUrl().url(), resolved.tokens().issuer());
    return resolved;
  }

  public NodeIdentity identity() {
    return identity;
  }

  public BoundPorts ports() {
    return ports;
  }

  public HealthReporter health() {
    return health;
  }

  /** {@code listening api=https://0.0.0.0:8880 health=http://...}: the bound address of every port. */
  public String listening() {
    return "listening " + addresses(listeners);
  }

  /** The certificate rotation of the TLS ports, when TLS is on. */
  public Optional<TlsReloader> tls() {
    return tls;
  }

  /**
   * The graceful stop with the configured drain ({@code shutdownDrainSeconds}); asked again, it
   * cuts the drain short. Completes with true when every phase finished in time.
   */
  public CompletableFuture<Boolean> shutdown() {
    return shutdown.begin(drain);
  }

  /** Completes when the node has stopped (true when cleanly), without asking it to stop. */
  public CompletableFuture<Boolean> stopped() {
    return shutdown.finished();
  }

  /** The graceful stop without a drain period: for embedding and tests. */
  public Future<Void> stop() {
    return Future.fromCompletionStage(shutdown.begin(Duration.ZERO)).mapEmpty();
  }
}
