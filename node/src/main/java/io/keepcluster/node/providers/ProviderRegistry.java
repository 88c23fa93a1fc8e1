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
 */
public final class ProviderRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

  /** One configured provider and its keys. */
  record Provider(ProviderConfig config, ProviderKeyCache keys) {}

  private final Map<String, Provider> byIssuer;
  private final List<Provider> inOrder;
  private final WebClient client;

  private ProviderRegistry(Map<String, Provider> byIssuer, WebClient client) {
    this.byIssuer = Map.copyOf(byIssuer);
    this.inOrder = List.copyOf(byIssuer.values());
    this.client = client;
  }

  /** No providers: every token is the cluster's own. */
  public static ProviderRegistry empty() {
    return new ProviderRegistry(Map.of(), null);
  }

  /**
   * Starts fetching the keys of every active discovery provider (in the background: the node does
   * not wait for any provider to answer).
   */
  public static ProviderRegistry start(List<ProviderConfig> providers, Vertx vertx, Clock clock,
      RefreshRules rules) {
    WebClient client = null;
    Map<String, Provider> byIssuer = new LinkedHashMap<>();
    for (ProviderConfig config : providers) {
      ProviderKeyCache keys;
      if (!config.active()) {
        keys = ProviderKeyCache.fixed(config.name(), ProviderKeySnapshot.inactive());
      } else if (config.keys() instanceof ProviderConfig.StaticKey key) {
        keys = ProviderKeyCache.fixed(config.name(), staticKeys(config, key, clock));
      } else {
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
        keys = ProviderKeyCache.fetching(config.name(), fetcher::fetch, vertx, clock, rules);
      }
      byIssuer.put(config.issuer(), new Provider(config, keys));
      LOG.info("event=provider_configured provider={} active={} iss={} keys={}", config.name(),
          config.active(), config.issuer(), config.keys() instanceof ProviderConfig.StaticKey
              ? "keyFile" : "discovery");
    }
    return new ProviderRegistry(byIssuer, client);
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
    return iss == null ? Optional.empty() : Optional.ofNullable(byIssuer.get(iss));
  }

  public boolean isEmpty() {
    return byIssuer.isEmpty();
  }

  /** {@code [{"name","status","lastRefresh","kids","error"?}]} for {@code /health}. */
  public JsonArray health() {
    JsonArray list = new JsonArray();
    for (Provider provider : inOrder) {
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
  public void close() {
    inOrder.forEach(provider -> provider.keys().close());
    if (client != null) {
      client.close();
    }
  }
}
