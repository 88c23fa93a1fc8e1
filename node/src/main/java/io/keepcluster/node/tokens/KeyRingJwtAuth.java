package io.keepcluster.node.tokens;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.CredentialValidationException;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;

/**
 * The node's bearer check as a Vert.x Auth JWT {@link JWTAuth}, so {@code JWTAuthHandler} can
 * guard routes with it. Every decision is {@link TokenVerifier}'s, against the live key ring:
 * one key by kid, its algorithm pinned, no key means refused. Unlike vertx-auth's own provider
 * there is no "no keys, so no signature check" mode, and nothing here signs.
 *
 * <p>A refusal fails the future with the {@link TokenRejectedException} itself, so whoever
 * renders the 401 can count and log its {@link RejectionReason}. A verified token becomes a
 * {@link User} laid out as vertx-auth-jwt 5 lays out its own: the claims in the principal (but
 * {@code exp}, {@code iat}, {@code nbf}), the decoded token as attribute {@code accessToken}
 * (the {@code rootClaim}), {@code exp}/{@code iat}/{@code nbf}/{@code sub} copied to the
 * attributes; plus attribute {@value #VERIFIED_BY}: {@code {"kid","source"}} of the key that
 * vouched for it.
 */
public final class KeyRingJwtAuth implements JWTAuth {

  /** Attribute naming the key that verified the token: {@code {"kid": ..., "source": ...}}. */
  public static final String VERIFIED_BY = "verifiedBy";
  /** Attribute of a provider token: {@code {"user","scope"}} as its provider's claim mapping says. */
  public static final String IDENTITY = "externalIdentity";

  private final TokenVerifier verifier;
  private final VerifiedUsers users = new VerifiedUsers();

  /** Hears how long each verification took and whether it passed (metrics). */
  @FunctionalInterface
  public interface VerificationTimer {
    void verified(String outcome, long nanos);
  }

  private final VerificationTimer timer;

  public KeyRingJwtAuth(TokenVerifier verifier) {
    this(verifier, (outcome, nanos) -> {});
  }

  public KeyRingJwtAuth(TokenVerifier verifier, VerificationTimer timer) {
    this.verifier = verifier;
    this.timer = timer;
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    if (!(credentials instanceof TokenCredentials token)) {
      return Future.failedFuture(new CredentialValidationException("only bearer tokens are accepted"));
    }
    long start = System.nanoTime();
    try {
      VerifiedToken verified = verifier.verify(token.getToken());
      timer.verified("ok", System.nanoTime() - start);
      return Future.succeededFuture(users.user(token.getToken(), verified));
    } catch (TokenRejectedException e) {
      timer.verified("rejected", System.nanoTime() - start);
      return Future.failedFuture(e);
    }
  }

  /**
   * Always throws: tokens are issued by {@link TokenIssuer} with the cluster's one signing key
   * (chosen by rule), never by a key picked at random as vertx-auth's {@code JWT.sign} would.
   */
  @Override
  public String generateToken(JsonObject claims, JWTOptions options) {
    throw new UnsupportedOperationException(
        "the node's JWTAuth only verifies; tokens are issued by TokenIssuer");
  }

  @Override
  public String generateToken(JsonObject claims) {
    return generateToken(claims, null);
  }
}
