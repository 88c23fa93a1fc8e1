package io.keepcluster.node.providers;

import io.keepcluster.node.keys.VerifyingCredential;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured providers by issuer: one map lookup picks the provider of a token, so the cost
 * of a verification does not grow with the number of providers. Owns each provider's
 * {@link ProviderKeyCache} and the one {@link WebClient} they fetch with.
 *
 * <p>The providers are an immutable snapshot swapped atomically by {@link #apply}: readers never
 * lock, one writer builds the next snapshot. A provider whose configuration did not change keeps
 * its key cache (no refetch); a removed or changed one is closed.
 */
public final class ProviderRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

  /** One configured provider and its keys. */
  record Provider(ProviderConfig config, ProviderKeyCache keys) {}

  /** Immutable: the providers by issuer, and in configuration order for {@code /health}. */
  private record Snapshot(Map<String, Provider> byIssuer, List<Provider> inOrder) {
    static final Snapshot EMPTY = new Snapshot(Map.of(), List.of());
  }

  private final Vertx vertx;
  private final Clock clock;
  private final RefreshRules rules;
  private volatile Snapshot snapshot = Snapshot.EMPTY;
  private WebClient client;
  private boolean closed;
  private volatile java.util.function.BiConsumer<String, String> fetchListener = (provider, outcome) -> {};

  private ProviderRegistry(Vertx vertx, Clock clock, RefreshRules rules) {
    this.vertx = vertx;
    this.clock = clock;
    this.rules = rules;
  }

  /**
   * Who hears of each JWKS fetch: the provider's name and {@code ok}, {@code error} (the answer
   * was not usable) or {@code unreachable} (metrics).
   */
  public void onFetch(java.util.function.BiConsumer<String, String> listener) {
    this.fetchListener = listener;
  }

  /** No providers: every token is the cluster's own. */
  public static ProviderRegistry empty() {
    return new ProviderRegistry(null, Clock.systemUTC(), RefreshRules.DEFAULT);
  }

  /** A registry without providers yet; {@link #apply} sets them. */
  public static ProviderRegistry create(Vertx vertx, Clock clock, RefreshRules rules) {
    return new ProviderRegistry(vertx, clock, rules);
  }

  /**
   * Starts fetching the keys of every active discovery provider (in the background: the node does
   * not wait for any provider to answer).
   */
  public static ProviderRegistry start(List<ProviderConfig> providers, Vertx vertx, Clock clock,
      RefreshRules rules) {
    ProviderRegistry registry = new ProviderRegistry(vertx, clock, rules);
    registry.apply(providers);
    return registry;
  }

  /**
   * Makes {@code providers} the configured set at once. Configurations equal to a running one keep
   * its keys; the others start (discovery providers fetch in the background); the ones no longer
   * configured are closed after the swap. Issuers must be unique (the parser checks it).
   */
  public synchronized void apply(List<ProviderConfig> providers) {
    if (closed) {
      return;
    }
    Map<String, Provider> running = new LinkedHashMap<>();
    snapshot.inOrder().forEach(p -> running.put(p.config().name(), p));
    Map<String, Provider> byIssuer = new LinkedHashMap<>();
    for (ProviderConfig config : providers) {
      Provider previous = running.get(config.name());
      Provider provider;
      if (previous != null && previous.config().equals(config)) {
        provider = previous;
        running.remove(config.name());
      } else {
        provider = new Provider(config, keys(config));
        LOG.info("event=provider_configured provider={} active={} iss={} keys={}", config.name(),
            config.active(), config.issuer(), config.keys() instanceof ProviderConfig.StaticKey
                ? "keyFile" : "discovery");
      }
      byIssuer.put(config.issuer(), provider);
    }
    snapshot = new Snapshot(Map.copyOf(byIssuer), List.copyOf(byIssuer.values()));
    running.values().forEach(old -> old.keys().close());
  }

  private ProviderKeyCache keys(ProviderConfig config) {
    if (!config.active()) {
      return ProviderKeyCache.fixed(config.name(), ProviderKeySnapshot.inactive());
    }
    if (config.keys() instanceof ProviderConfig.StaticKey key) {
      return ProviderKeyCache.fixed(config.name(), staticKeys(config, key, clock));
    }
    ProviderConfig.Discovery discovery = (ProviderConfig.Discovery) config.keys();
    if (client == null) {
      client = WebClient.create(vertx, clientOptions(rules));
    }
    if (discovery.discoveryUrl().getScheme().equalsIgnoreCase("http")) {
      LOG.warn("event=provider_plain_http provider={} url={} risk=\"keys fetched without TLS\"",
          config.name(), discovery.discoveryUrl());
    }
    JwksFetcher fetcher = new JwksFetcher(client, config, discovery.discoveryUrl(),
        rules.fetchTimeout());
    return ProviderKeyCache.fetching(config.name(), () -> fetcher.fetch().andThen(result ->
        fetchListener.accept(config.name(), result.succeeded() ? "ok"
            : result.cause() instanceof KeysUnavailableException e
                && e.kind() == KeysUnavailableException.Kind.INVALID ? "error" : "unreachable")),
        vertx, clock, rules);
  }

  private static ProviderKeySnapshot staticKeys(ProviderConfig config, ProviderConfig.StaticKey key,
      Clock clock) {
    try {
      VerifyingCredential credential = ProviderKeys.credential(config, key.kid(), key.publicKey(),
          config.algorithms().get(0));
      return ProviderKeySnapshot.fresh(Map.of(key.kid(), credential), clock.instant());
    } catch (ProviderKeys.UnusableKeyException e) {
      // The parser checked the key already; this is only reached if the rules changed since.
      return new ProviderKeySnapshot(Map.of(), ProviderStatus.ERROR, Optional.empty(),
          Optional.of(key.file() + ": " + e.getMessage()));
    }
  }

  /** TLS verified (the JVM trust store, host names checked), no redirects, bounded waits. */
  private static WebClientOptions clientOptions(RefreshRules rules) {
    int timeoutMillis = (int) rules.fetchTimeout().toMillis();
    WebClientOptions options = new WebClientOptions()
        .setUserAgent("KeepCluster")
        .setFollowRedirects(false)
        .setMaxRedirects(0)
        .setTrustAll(false)
        .setVerifyHost(true)
        .setConnectTimeout(timeoutMillis)
        .setKeepAlive(false);
    options.setIdleTimeout(timeoutMillis);
    options.setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
    return options;
  }

  /** The provider whose {@code iss} this is, active or not. */
  Optional<Provider> byIssuer(String iss) {
    return iss == null ? Optional.empty() : Optional.ofNullable(snapshot.byIssuer().get(iss));
  }

  public boolean isEmpty() {
    return snapshot.byIssuer().isEmpty();
  }

  /** {@code [{"name","status","lastRefresh","kids","error"?}]} for {@code /health}. */
  public JsonArray health() {
    JsonArray list = new JsonArray();
    for (Provider provider : snapshot.inOrder()) {
      ProviderKeySnapshot keys = provider.keys().snapshot();
      JsonObject entry = new JsonObject()
          .put("name", provider.config().name())
          .put("status", keys.status().label())
          .put("lastRefresh", keys.lastRefresh().map(Object::toString).orElse(null))
          .put("kids", new JsonArray(keys.kids()));
      keys.error().ifPresent(error -> entry.put("error", error));
      list.add(entry);
    }
    return list;
  }

  @Override
  public synchronized void close() {
    closed = true;
    snapshot.inOrder().forEach(provider -> provider.keys().close());
    snapshot = Snapshot.EMPTY;
    if (client != null) {
      client.close();
    }
  }
}
