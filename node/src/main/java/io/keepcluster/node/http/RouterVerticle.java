package io.keepcluster.node.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/**
 * One HTTP server serving one router, on its own event loop. Deployed with several instances,
 * Vert.x shares the address between them (port 0 included) and spreads connections.
 */
public final class RouterVerticle extends VerticleBase {

  private final HttpServerOptions options;
  private final Function<io.vertx.core.Vertx, Router> routes;
  private volatile int actualPort;

  public RouterVerticle(HttpServerOptions options, Function<io.vertx.core.Vertx, Router> routes) {
    this.options = options;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(options)
        .requestHandler(routes.apply(vertx))
        .listen()
        .onSuccess(server -> actualPort = server.actualPort());
  }

  public int actualPort() {
    return actualPort;
  }
}
