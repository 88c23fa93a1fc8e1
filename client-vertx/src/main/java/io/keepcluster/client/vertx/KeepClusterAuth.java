package io.keepcluster.client.vertx;

import io.keepcluster.client.vertx.impl.KeepClusterAuthImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Clock;
import java.util.Set;

/**
 * A {@link JWTAuth} that verifies KeepCluster tokens with the keys the cluster publishes at
 * {@code /.well-known/jwks.json}, and follows them: a key published later verifies as soon as a
 * token names it (one refetch per {@code unknownKidRefetchInterval} at most), a key no longer
 * published stops verifying at the next refresh, and a failed fetch keeps the last good keys.
 *
 * <pre>{@code
 * KeepClusterAuth.create(vertx, KeepClusterAuthOptions.discover("https://keep.example.com").build())
 *     .onSuccess(auth -> router.route("/api/*").handler(JWTAuthHandler.create(auth)));
 * }</pre>
 *
 * <p>{@link #authenticate} fails with {@link TokenRejectedException} (its {@link RejectionReason}
 * says why) and otherwise yields a {@link io.vertx.ext.auth.User} built like vertx-auth-jwt's:
 * the claims in {@code principal()} ({@code sub}, {@code scope}, {@code CN}, {@code email}, ...),
 * the decoded token under the {@code accessToken} attribute, so {@code JWTAuthHandler.withScope}
 * works. A verifier only: {@link #generateToken} throws {@link UnsupportedOperationException}.
 */
public interface KeepClusterAuth extends JWTAuth {

  /**
   * Fetches the keys once, then completes with the auth. Fails with
   * {@link KeysUnavailableException} if that first fetch fails: a service does not start
   * believing it can verify tokens when it has never seen a key.
   */
  static Future<KeepClusterAuth> create(Vertx vertx, KeepClusterAuthOptions options) {
    return create(vertx, options, Clock.systemUTC());
  }

  /** As {@link #create(Vertx, KeepClusterAuthOptions)}, with the clock used for token times and cache ages. */
  static Future<KeepClusterAuth> create(Vertx vertx, KeepClusterAuthOptions options, Clock clock) {
    return KeepClusterAuthImpl.create(vertx, options, clock);
  }

  /** The kids that verify right now (no fetch). */
  Set<String> keyIds();

  /** Releases the HTTP client; from then on every token is refused (fail closed). */
  void close();

  /** Always throws: this is a verifier; tokens are issued by the cluster. */
  @Override
  String generateToken(JsonObject claims, JWTOptions options);

  /** Always throws: this is a verifier; tokens are issued by the cluster. */
  @Override
  String generateToken(JsonObject claims);
}
