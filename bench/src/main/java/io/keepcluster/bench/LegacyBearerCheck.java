package io.keepcluster.bench;

import com.nimbusds.jwt.JWTClaimsSet;
import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.tokens.TokenRejectedException;
import io.keepcluster.node.tokens.TokenVerifier;
import io.keepcluster.node.tokens.VerifiedToken;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * BASELINE ONLY: the node's bearer check before issue 9 (its own {@code BearerAuthHandler}, now
 * deleted from the product), kept here so {@link BearerCheckBenchmark} can compare it with
 * {@code JWTAuthHandler} over {@code KeyRingJwtAuth} in the same run. The success path is the
 * old handler's line for line; a refusal answers the same 401 but is not counted or logged
 * (the benchmark only sends valid tokens).
 */
final class LegacyBearerCheck implements Handler<RoutingContext> {

  private static final String VERIFIED_TOKEN = "keepcluster.verifiedToken";
  private static final String PREFIX = "bearer ";

  private final TokenVerifier verifier;

  LegacyBearerCheck(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.length() < PREFIX.length()
        || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      ErrorResponses.invalidToken(ctx);
      return;
    }
    try {
      VerifiedToken token = verifier.verify(header.substring(PREFIX.length()).trim());
      ctx.put(VERIFIED_TOKEN, token);
      ctx.next();
    } catch (TokenRejectedException e) {
      ErrorResponses.invalidToken(ctx);
    }
  }

  /** The old {@code UserInfoHandler}: reads the token the check left in the context. */
  static void userinfo(RoutingContext ctx) {
    VerifiedToken token = ctx.get(VERIFIED_TOKEN);
    JWTClaimsSet claims = token.claims();
    Object cn = claims.getClaim("CN");
    JsonObject body = new JsonObject()
        .put("sub", claims.getSubject())
        .put("CN", cn != null ? cn : claims.getSubject())
        .put("email", claims.getClaim("email"))
        .put("scope", claims.getClaim("scope"))
        .put("iss", claims.getIssuer())
        .put("exp", claims.getExpirationTime().toInstant().getEpochSecond())
        .put("verifiedBy", new JsonObject().put("kid", token.kid()).put("source", token.source().label()));
    ErrorResponses.sendJson(ctx, 200, body);
  }
}
