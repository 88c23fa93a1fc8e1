package io.keepcluster.node.providers;

import io.keepcluster.node.keys.VerifyingCredential;
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
 * Fetches one provider's keys: its discovery document (for {@code jwks_uri}), then the JWKS. Every
 * GET has a deadline and a body cap; redirects are not followed; https is verified against the
 * JVM's trust store (the {@link WebClient} is built that way by {@link ProviderRegistry}). Any
 * problem fails the future with a {@link KeysUnavailableException}. Holds no state between
 * fetches: caching is {@link ProviderKeyCache}'s job.
 */
final class JwksFetcher {

  /** A JWKS or discovery document larger than this is refused (and never held whole). */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  private final WebClient client;
  private final ProviderConfig provider;
  private final URI discoveryUrl;
  private final Duration timeout;

  JwksFetcher(WebClient client, ProviderConfig provider, URI discoveryUrl, Duration timeout) {
    this.client = client;
    this.provider = provider;
    this.discoveryUrl = discoveryUrl;
    this.timeout = timeout;
  }

  /** What one fetch brought back: the usable keys and the server's {@code max-age}, if any. */
  record Fetched(Map<String, VerifyingCredential> keys, Optional<Duration> maxAge) {

    Fetched {
      keys = Map.copyOf(keys);
    }
  }

  Future<Fetched> fetch() {
    String discovery = discoveryUrl.toString();
    return get(discovery).compose(response -> {
      JsonObject doc;
      try {
        doc = new JsonObject(response.body().toString(StandardCharsets.UTF_8));
      } catch (DecodeException | ClassCastException e) {
        return invalid(discovery, "discovery document is not a JSON object");
      }
      if (!(doc.getValue("jwks_uri") instanceof String jwksUri) || !isHttpUrl(jwksUri)) {
        return invalid(discovery, "discovery document has no http(s) jwks_uri");
      }
      return fetchJwks(jwksUri);
    });
  }

  private Future<Fetched> fetchJwks(String uri) {
    return get(uri).compose(response -> {
      try {
        Map<String, VerifyingCredential> keys =
            ProviderKeys.fromJwks(provider, response.body().toString(StandardCharsets.UTF_8));
        return Future.succeededFuture(new Fetched(keys, maxAge(response.getHeader("Cache-Control"))));
      } catch (ProviderKeys.InvalidJwksException e) {
        return invalid(uri, "JWKS refused: " + e.getMessage());
      }
    });
  }

  private Future<HttpResponse<Buffer>> get(String uri) {
    long millis = timeout.toMillis();
    return client.getAbs(uri)
        .followRedirects(false)
        .connectTimeout(millis)
        .idleTimeout(millis)
        .putHeader("Accept", "application/json")
        .as(new CappedBodyCodec(MAX_BODY_BYTES))
        .send()
        .timeout(millis, TimeUnit.MILLISECONDS)
        .recover(failure -> Future.failedFuture(describe(uri, failure)))
        .compose(response -> response.statusCode() == 200
            ? Future.succeededFuture(response)
            : Future.failedFuture(new KeysUnavailableException(KeysUnavailableException.Kind.UNREACHABLE,
                uri, "HTTP status " + response.statusCode())));
  }

  /**
   * {@code max-age} of a {@code Cache-Control} value; {@code no-store} and {@code no-cache} count
   * as zero (the cache then uses its minimum); absent or unreadable gives empty.
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
        try {
          long seconds = Long.parseLong(d.substring("max-age=".length()).replace("\"", ""));
          found = seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : found;
        } catch (NumberFormatException e) {
          // unreadable max-age: as if absent
        }
      }
    }
    return found;
  }

  private static KeysUnavailableException describe(String uri, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CappedBodyCodec.BodyTooLargeException) {
        return new KeysUnavailableException(KeysUnavailableException.Kind.INVALID, uri, t.getMessage());
      }
    }
    String problem = failure instanceof TimeoutException ? "no answer within " + "the fetch timeout"
        : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    return new KeysUnavailableException(KeysUnavailableException.Kind.UNREACHABLE, uri, problem);
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

  private static <T> Future<T> invalid(String uri, String problem) {
    return Future.failedFuture(
        new KeysUnavailableException(KeysUnavailableException.Kind.INVALID, uri, problem));
  }
}
