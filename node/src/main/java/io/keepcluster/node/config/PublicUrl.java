package io.keepcluster.node.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The base URL clients use to reach the cluster ({@code publicUrl}): every URL the node publishes
 * (discovery, JWKS) is built from it, never from a request's {@code Host} or
 * {@code X-Forwarded-*} headers. An absolute http(s) URL without query or fragment; a path prefix
 * is allowed ({@code https://sso.acme.test/keep}); trailing slashes are trimmed.
 *
 * @param url the normalized base URL, without a trailing slash
 * @param fallback true when no {@code publicUrl} was configured and a single node stands in with
 *     {@code http://localhost:PORT}
 */
public record PublicUrl(String url, boolean fallback) {

  /** Validates a configured value; {@code key} names the setting in the message. */
  public static PublicUrl parse(String key, String text) throws ConfigException {
    return new PublicUrl(absoluteHttpUrl(key, text, true), false);
  }

  /** What a single node without {@code publicUrl} answers on: its own API port on localhost. */
  public static PublicUrl localhost(int apiPort) {
    return localhost(apiPort, false);
  }

  /** As {@link #localhost(int)}, {@code https://} when the API port speaks TLS. */
  public static PublicUrl localhost(int apiPort, boolean https) {
    return new PublicUrl((https ? "https" : "http") + "://localhost:" + apiPort, true);
  }

  /** {@code path} (starting with a slash) under this base URL. */
  public String resolve(String path) {
    return url + path;
  }

  /**
   * Checks {@code text} is an absolute http(s) URL with a host and no query, fragment or user
   * info, and returns it (without trailing slashes when {@code trim}).
   */
  static String absoluteHttpUrl(String key, String text, boolean trim) throws ConfigException {
    String value = text.trim();
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(key + " must be an absolute http(s) URL (got: " + text + "): "
          + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null || uri.isOpaque()) {
      throw new ConfigException(key + " must be an absolute http(s) URL with a host, like"
          + " https://sso.acme.test/keep (got: " + text + ")");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || value.contains("?")
        || value.contains("#")) {
      throw new ConfigException(key + " must not have a query or fragment (got: " + text + ")");
    }
    if (uri.getRawUserInfo() != null) {
      throw new ConfigException(key + " must not carry user info (got: " + text + ")");
    }
    if (!trim) {
      return value;
    }
    while (value.endsWith("/")) {
      value = value.substring(0, value.length() - 1);
    }
    return value;
  }
}
