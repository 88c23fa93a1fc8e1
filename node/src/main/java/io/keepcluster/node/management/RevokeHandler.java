package io.keepcluster.node.management;

import io.keepcluster.node.http.RequestIds;
import io.keepcluster.node.logging.Audit;
import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.logging.LogSafe;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /api/keysets/{kid}/revoke}: removes a keyset everywhere at once. */
final class RevokeHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(RevokeHandler.class);

  private final Vertx vertx;
  private final KeysetRevoker revoker;

  RevokeHandler(Vertx vertx, KeysetRevoker revoker) {
    this.vertx = vertx;
    this.revoker = revoker;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String kid = ctx.pathParam("kid");
    String operator = ctx.get(BasicAuthHandler.OPERATOR);
    vertx.executeBlocking(() -> revoker.revoke(kid), false).onComplete(result -> {
      if (result.failed()) {
        LOG.error("event=keyset_revoke_failed kid={}", LogSafe.value(kid), result.cause());
        ErrorResponses.send(ctx, 500, "Could not revoke the keyset", result.cause().getMessage());
      } else if (!result.result()) {
        ErrorResponses.send(ctx, 404, "No keyset with this kid", kid);
      } else {
        LOG.warn("event=keyset_revoked kid={} operator={}", LogSafe.value(kid), LogSafe.value(operator));
        Audit.LOG.warn("event=keyset_revoked kid={} operator={} {}", LogSafe.value(kid), LogSafe.value(operator),
            RequestIds.fields(ctx));
        ErrorResponses.sendJson(ctx, 200, new JsonObject().put("kid", kid).put("revoked", true));
      }
    });
  }
}
