package io.keepcluster.client.vertx;

/**
 * The cluster's keys could not be had: the discovery document or the JWKS could not be fetched or
 * read. {@link KeepClusterAuth#create} fails with it when the first fetch fails; later failures
 * keep the last good key set and are only logged.
 */
public final class KeysUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String uri;

  public KeysUnavailableException(String uri, String problem, Throwable cause) {
    super("keys unavailable from " + uri + ": " + problem, cause);
    this.uri = uri;
  }

  public KeysUnavailableException(String uri, String problem) {
    this(uri, problem, null);
  }

  /** The address that failed (discovery document or JWKS). */
  public String uri() {
    return uri;
  }
}
