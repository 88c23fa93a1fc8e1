package io.keepcluster.node.http;

import io.keepcluster.node.tokens.KeyRingJwtAuth;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/v1/userinfo}: who the caller is and which key vouched for them. */
final class UserInfoHandler implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    User user = ctx.user();
    JsonObject claims = user.principal();
    JsonObject external = user.attributes().getJsonObject(KeyRingJwtAuth.IDENTITY);
    JsonObject body = new JsonObject()
        .put("sub", claims.getValue("sub"))
        .put("CN", external != null ? external.getValue("user") : claims.getValue("CN", claims.getValue("sub")))
        .put("email", claims.getValue("email"))
        .put("scope", external != null ? external.getValue("scope") : claims.getValue("scope"))
        .put("iss", claims.getValue("iss"))
        .put("exp", user.attributes().getValue("exp"))
        .put("verifiedBy", user.attributes().getJsonObject(KeyRingJwtAuth.VERIFIED_BY));
    ErrorResponses.sendJson(ctx, 200, body);
  }
}
