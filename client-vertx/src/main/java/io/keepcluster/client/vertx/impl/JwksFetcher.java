package io.keepcluster.client.vertx.impl;

import io.keepcluster.client.vertx.KeepClusterAuthOptions;
import io.keepcluster.client.vertx.KeysUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches the cluster's keys over HTTP: the discovery document when configured (for
 * {@code jwks_uri} and {@code issuer}), then the JWKS. Every GET has a deadline
 * ({@code fetchTimeout}) and a body cap ({@code maxJwksBytes}); redirects are not followed. Any
 * problem fails the future with {@link KeysUnavailableException} naming the address. Holds no
 * state between fetches: caching is {@link KeySetCache}'s job.
 */
public final class JwksFetcher {

  private final WebClient client;
  private final Optional<String> discoveryUri;
  private final Optional<String> jwksUri;
  private final long timeoutMillis;
  private final int maxBytes;

  public JwksFetcher(WebClient client, KeepClusterAuthOptions options) {
    this.client = client;
    this.discoveryUri = options.discoveryUri();
    this.jwksUri = options.jwksUri();
    this.timeoutMillis = options.fetchTimeout().toMillis();
    this.maxBytes = options.maxJwksBytes();
  }

  /** What one fetch brought back. */
  public record FetchedKeys(Map<String, VerificationKey> keys, Optional<String> discoveredIssuer,
      Optional<Duration> maxAge) {

    public FetchedKeys {
      keys = Map.copyOf(keys);
    }
  }

  public Future<FetchedKeys> fetch() {
    if (discoveryUri.isEmpty()) {
      return fetchJwks(jwksUri.orElseThrow(), Optional.empty());
    }
    String discovery = discoveryUri.get();
    return get(discovery).compose(response -> {
      JsonObject doc;
      try {
        doc = new JsonObject(response.body().toString(StandardCharsets.UTF_8));
      } catch (DecodeException | ClassCastException e) {
        return unavailable(discovery, "discovery document is not a JSON object");
      }
      Object issuer = doc.getValue("issuer");
      Object jwks = doc.getValue("jwks_uri");
      if (!(issuer instanceof String iss) || iss.isBlank()) {
        return unavailable(discovery, "discovery document has no issuer");
      }
      if (!(jwks instanceof String uri) || !isHttpUrl(uri)) {
        return unavailable(discovery, "discovery document has no http(s) jwks_uri");
      }
      return fetchJwks(uri, Optional.of(iss));
    });
  }

  private Future<FetchedKeys> fetchJwks(String uri, Optional<String> issuer) {
    return get(uri).compose(response -> {
      Map<String, VerificationKey> keys;
      try {
        keys = JwksParser.parse(response.body().toString(StandardCharsets.UTF_8));
      } catch (JwksParser.InvalidJwksException e) {
        return unavailable(uri, "JWKS refused: " + e.getMessage());
      }
      return Future.succeededFuture(
          new FetchedKeys(keys, issuer, maxAge(response.getHeader("Cache-Control"))));
    });
  }

  private Future<HttpResponse<Buffer>> get(String uri) {
    return client.getAbs(uri)
        .followRedirects(false)
        .connectTimeout(timeoutMillis)
        .idleTimeout(timeoutMillis)
        .putHeader("Accept", "application/json")
        .as(new CappedBodyCodec(maxBytes))
        .send()
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .recover(failure -> unavailable(uri, describe(failure), failure))
        .compose(response -> response.statusCode() == 200
            ? Future.succeededFuture(response)
            : unavailable(uri, "HTTP status " + response.statusCode()));
  }

  /**
   * {@code max-age} of a {@code Cache-Control} value; {@code no-store} and {@code no-cache} count
   * as zero; absent or unreadable gives empty (the cache then uses its minimum).
   */
  static Optional<Duration> maxAge(String cacheControl) {
    if (cacheControl == null) {
      return Optional.empty();
    }
    Optional<Duration> found = Optional.empty();
    for (String directive : cacheControl.split(",")) {
      String d = directive.trim().toLowerCase(Locale.ROOT);
      if (d.equals("no-store") || d.equals("no-cache")) {
        return Optional.of(Duration.ZERO);
      }
      if (d.startsWith("max-age=")) {
        String value = d.substring("max-age=".length()).replace("\"", "");
        try {
          long seconds = Long.parseLong(value);
          found = seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : found;
        } catch (NumberFormatException e) {
          // unreadable max-age: as if absent
        }
      }
    }
    return found;
  }

  private static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CappedBodyCodec.BodyTooLargeException) {
        return t.getMessage();
      }
    }
    if (failure instanceof TimeoutException) {
      return "no answer within the fetch timeout";
    }
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      return uri.getScheme() != null && uri.getHost() != null
          && (uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static <T> Future<T> unavailable(String uri, String problem) {
    return Future.failedFuture(new KeysUnavailableException(uri, problem));
  }

  private static <T> Future<T> unavailable(String uri, String problem, Throwable cause) {
    return Future.failedFuture(new KeysUnavailableException(uri, problem, cause));
  }
}
