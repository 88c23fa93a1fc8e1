package io.keepcluster.node.health;

import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.http.JsonErrors;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code /health}, {@code /health/live} and {@code /health/ready} on HEALTHCHECKPORT. {@code /health}
 * answers 200 only when UP (503 when DEGRADED or DOWN); {@code /health/ready} follows readiness
 * alone: a node DEGRADED by a scanner restart still takes traffic, one that cannot apply cluster
 * state or whose config would not start does not.
 */
public final class HealthRoutes {

  private HealthRoutes() {}

  public static Router create(Vertx vertx, HealthReporter reporter) {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> {
      JsonObject report = reporter.report();
      ErrorResponses.sendJson(ctx, "UP".equals(report.getString("status")) ? 200 : 503, report);
    });
    router.get("/health/live").handler(ctx -> ErrorResponses.sendJson(ctx, 200,
        new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> {
      boolean ready = reporter.ready();
      ErrorResponses.sendJson(ctx, ready ? 200 : 503, new JsonObject().put("status", ready ? "UP" : "DOWN"));
    });
    JsonErrors.install(router);
    return router;
  }
}
