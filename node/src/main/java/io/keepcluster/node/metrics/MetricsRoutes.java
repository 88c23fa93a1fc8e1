package io.keepcluster.node.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/** {@code GET /metrics} in Prometheus text format on METRICSPORT (the caller adds the JSON error pages). */
public final class MetricsRoutes {

  private MetricsRoutes() {}

  public static Router create(Vertx vertx, PrometheusMeterRegistry registry) {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()));
    return router;
  }
}
