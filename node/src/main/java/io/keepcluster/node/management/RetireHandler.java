package io.keepcluster.node.management;

import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.logging.Audit;
import io.keepcluster.node.logging.LogSafe;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/keysets/{kid}/retire}: the keyset stops signing everywhere and keeps verifying
 * until its tokens have expired, as if its files had been removed.
 */
final class RetireHandler implements Handler<RoutingContext> {

  private static final Logger AUDIT = Audit.LOG;
  private static final Logger LOG = LoggerFactory.getLogger(RetireHandler.class);

  private final Vertx vertx;
  private final KeysetRetirer retirer;

  RetireHandler(Vertx vertx, KeysetRetirer retirer) {
    this.vertx = vertx;
    this.retirer = retirer;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String kid = ctx.pathParam("kid");
    String operator = ctx.get(BasicAuthHandler.OPERATOR);
    vertx.executeBlocking(() -> retirer.retire(kid), false).onComplete(result -> {
      if (result.failed()) {
        LOG.error("event=keyset_retire_failed kid={}", LogSafe.value(kid), result.cause());
        ErrorResponses.send(ctx, 500, "Could not retire the keyset", result.cause().getMessage());
      } else if (!result.result()) {
        ErrorResponses.send(ctx, 404, "No published keyset with this kid",
            kid + " is unknown, or already retiring, expired or revoked");
      } else {
        AUDIT.info("event=keyset_retired kid={} operator={}", LogSafe.value(kid), LogSafe.value(operator));
        ErrorResponses.sendJson(ctx, 200, new JsonObject().put("kid", kid).put("retired", true));
      }
    });
  }
}
