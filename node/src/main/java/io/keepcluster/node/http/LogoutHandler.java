package io.keepcluster.node.http;

import io.keepcluster.node.tokens.Revocations;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/** {@code POST /api/v1/auth/logout} with {@code {"logout":"Yes"}}: the calling token stops working. */
final class LogoutHandler implements Handler<RoutingContext> {

  private final Revocations revocations;

  LogoutHandler(Revocations revocations) {
    this.revocations = revocations;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx, "{\"logout\":\"Yes\"}").orElse(null);
    if (body == null) {
      return;
    }
    if (!"Yes".equals(body.getValue("logout"))) {
      ErrorResponses.send(ctx, 400, "expected {\"logout\":\"Yes\"}");
      return;
    }
    User user = ctx.user();
    if (!(user.principal().getValue("jti") instanceof String jwtId)) {
      ErrorResponses.send(ctx, 400, "this token has no jti and cannot be logged out");
      return;
    }
    revocations.revoke(jwtId, Instant.ofEpochSecond(user.attributes().getLong("exp")));
    ErrorResponses.sendJson(ctx, 200, new JsonObject().put("status", 200).put("message", "Logged out"));
  }
}
