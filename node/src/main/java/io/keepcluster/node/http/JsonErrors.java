package io.keepcluster.node.http;

import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns Vert.x Web's default HTML error pages into the project's JSON errors. */
public final class JsonErrors {

  private static final Logger LOG = LoggerFactory.getLogger(JsonErrors.class);

  private JsonErrors() {}

  /** Installs the JSON error pages on {@code router} and returns it. */
  public static Router install(Router router) {
    router.errorHandler(404, ctx -> ErrorResponses.send(ctx, 404, "Not found", ctx.request().path()));
    router.errorHandler(405, ctx -> ErrorResponses.send(ctx, 405, "Method not allowed"));
    router.errorHandler(413, ctx -> ErrorResponses.send(ctx, 413,
        "Request body too large", "at most " + ApiRoutes.MAX_BODY_BYTES + " bytes"));
    router.errorHandler(400, ctx -> ErrorResponses.send(ctx, 400, "Bad request"));
    router.errorHandler(500, ctx -> {
      if (ctx.failure() != null) {
        LOG.error("event=request_failed path={} {}", io.keepcluster.node.logging.LogSafe.value(ctx.request().path()),
            RequestIds.fields(ctx), ctx.failure());
      }
      ErrorResponses.send(ctx, 500, "Internal error");
    });
    return router;
  }
}
