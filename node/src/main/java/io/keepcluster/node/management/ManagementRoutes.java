package io.keepcluster.node.management;

import io.keepcluster.node.health.HealthReporter;
import io.keepcluster.node.http.ApiRoutes;
import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.http.JsonErrors;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The management port's JSON API; every route needs a management account. */
public final class ManagementRoutes {

  private ManagementRoutes() {}

  public static Router create(Vertx vertx, ManagementAccounts accounts, WorkerExecutor hashing,
      HealthReporter health) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(ApiRoutes.MAX_BODY_BYTES));
    router.route("/api/*").handler(new BasicAuthHandler(accounts, hashing));
    router.get("/api/node").handler(ctx -> ErrorResponses.sendJson(ctx, 200, health.report()));
    JsonErrors.install(router);
    return router;
  }
}
