package io.keepcluster.node.http;

import com.nimbusds.jwt.JWTClaimsSet;
import io.keepcluster.node.tokens.ExternalIdentity;
import io.keepcluster.node.tokens.VerifiedToken;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/v1/userinfo}: who the caller is and which key vouched for them. */
final class UserInfoHandler implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    VerifiedToken token = ctx.get(BearerAuthHandler.VERIFIED_TOKEN);
    JWTClaimsSet claims = token.claims();
    JsonObject verifiedBy = new JsonObject().put("kid", token.kid()).put("source", token.source().label());
    token.external().ifPresent(external -> verifiedBy.put("provider", external.provider()));
    JsonObject body = new JsonObject()
        .put("sub", claims.getSubject())
        .put("CN", token.external().map(ExternalIdentity::user).orElseGet(() -> claimOrSubject(claims)))
        .put("email", claims.getClaim("email"))
        .put("scope", token.external().<Object>map(ExternalIdentity::scope).orElseGet(() -> claims.getClaim("scope")))
        .put("iss", claims.getIssuer())
        .put("exp", claims.getExpirationTime().toInstant().getEpochSecond())
        .put("verifiedBy", verifiedBy);
    ErrorResponses.sendJson(ctx, 200, body);
  }

  private static String claimOrSubject(JWTClaimsSet claims) {
    Object cn = claims.getClaim("CN");
    return cn != null ? String.valueOf(cn) : claims.getSubject();
  }
}
