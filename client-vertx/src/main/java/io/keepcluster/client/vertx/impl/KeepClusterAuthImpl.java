package io.keepcluster.client.vertx.impl;

import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.client.vertx.KeepClusterAuth;
import io.keepcluster.client.vertx.KeepClusterAuthOptions;
import io.keepcluster.client.vertx.KeysUnavailableException;
import io.keepcluster.client.vertx.TokenRejectedException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.CredentialValidationException;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.client.WebClient;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Set;

/**
 * Wires the three parts: {@link JwksFetcher} fetches, {@link KeySetCache} holds and refreshes,
 * {@link TokenVerifier} decides. Turns a verified token into a Vert.x {@link User} the way
 * vertx-auth-jwt's own provider does, so {@code JWTAuthHandler} and its scope checks work as usual.
 */
public final class KeepClusterAuthImpl implements KeepClusterAuth {

  private static final Logger LOG = System.getLogger(KeepClusterAuthImpl.class.getName());
  /** Claims vertx-auth-jwt keeps out of the principal (they go to the attributes). */
  private static final Set<String> NOT_IN_PRINCIPAL = Set.of("access_token", "exp", "iat", "nbf");

  private final Vertx vertx;
  private final WebClient client;
  private final KeySetCache cache;
  private final TokenVerifier verifier;
  private final String source;
  private volatile boolean closed;

  private KeepClusterAuthImpl(Vertx vertx, WebClient client, KeySetCache cache,
      TokenVerifier verifier, String source) {
    this.vertx = vertx;
    this.client = client;
    this.cache = cache;
    this.verifier = verifier;
    this.source = source;
  }

  public static Future<KeepClusterAuth> create(Vertx vertx, KeepClusterAuthOptions options,
      Clock clock) {
    WebClient client = WebClient.create(vertx, options.webClientOptions());
    JwksFetcher fetcher = new JwksFetcher(client, options);
    KeySetCache cache = new KeySetCache(fetcher::fetch, options, clock);
    TokenVerifier verifier = new TokenVerifier(options.audience(), options.leeway(), clock);
    KeepClusterAuthImpl auth = new KeepClusterAuthImpl(vertx, client, cache, verifier,
        options.source());
    return cache.refresh()
        .<KeepClusterAuth>map(snapshot -> {
          LOG.log(Level.INFO, "event=keepcluster_auth_ready source={0} keys={1}", options.source(),
              snapshot.keys().keySet());
          return auth;
        })
        .onFailure(failure -> client.close());
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    if (!(credentials instanceof TokenCredentials tokenCredentials)) {
      return Future.failedFuture(new CredentialValidationException("Invalid credentials type"));
    }
    if (closed) {
      return Future.failedFuture(new KeysUnavailableException(source, "this auth is closed"));
    }
    String token = tokenCredentials.getToken();
    SignedJWT jwt;
    try {
      jwt = verifier.parse(token);
    } catch (TokenRejectedException e) {
      return refused(e);
    }
    Context caller = vertx.getOrCreateContext();
    Future<KeySnapshot> keys = cache.snapshotFor(jwt.getHeader().getKeyID());
    Future<User> user = keys.compose(snapshot -> {
      try {
        return Future.succeededFuture(toUser(token, verifier.verify(jwt, snapshot)));
      } catch (TokenRejectedException e) {
        return refused(e);
      }
    });
    return onCaller(user, caller);
  }

  @Override
  public Set<String> keyIds() {
    return cache.current().map(s -> s.keys().keySet()).orElse(Set.of());
  }

  @Override
  public void close() {
    closed = true;
    client.close();
  }

  @Override
  public String generateToken(JsonObject claims, JWTOptions options) {
    throw new UnsupportedOperationException(
        "KeepClusterAuth only verifies; tokens are issued by the KeepCluster nodes");
  }

  @Override
  public String generateToken(JsonObject claims) {
    return generateToken(claims, null);
  }

  private static Future<User> refused(TokenRejectedException e) {
    LOG.log(Level.DEBUG, "event=token_refused reason={0}", e.reason());
    return Future.failedFuture(e);
  }

  /**
   * The principal holds the claims (except the time claims), the attributes hold the decoded
   * token as {@code accessToken} plus {@code exp}/{@code iat}/{@code nbf}/{@code sub}, with
   * {@code rootClaim = accessToken}: the layout of vertx-auth-jwt 5's {@code JWTAuthProviderImpl}.
   */
  static User toUser(String token, JsonObject claims) {
    User user = User.fromToken(token);
    JsonObject attributes = user.attributes();
    attributes.put("accessToken", claims);
    for (String name : new String[] {"exp", "iat", "nbf", "sub"}) {
      if (claims.containsKey(name)) {
        attributes.put(name, claims.getValue(name));
      }
    }
    JsonObject principal = user.principal();
    for (String name : claims.fieldNames()) {
      if (!NOT_IN_PRINCIPAL.contains(name)) {
        principal.put(name, claims.getValue(name));
      }
    }
    attributes.put("rootClaim", "accessToken");
    return user;
  }

  /**
   * A refresh started by another event loop completes on that loop; hand the result back to the
   * caller's context so the routing chain never continues on a foreign thread.
   */
  private static <T> Future<T> onCaller(Future<T> future, Context caller) {
    if (future.isComplete()) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> {
      if (Vertx.currentContext() == caller) {
        promise.handle(result);
      } else {
        caller.runOnContext(v -> promise.handle(result));
      }
    });
    return promise.future();
  }
}
