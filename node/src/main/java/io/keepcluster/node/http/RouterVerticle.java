package io.keepcluster.node.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/**
 * One HTTP server serving one router, on its own event loop. Deployed with several instances,
 * Vert.x shares the address between them (port 0 included) and spreads connections. Its
 * {@link ConnectionWatch} refuses connections over the node's cap and closes those that do not
 * deliver a request in time.
 */
public final class RouterVerticle extends VerticleBase {

  private final HttpServerOptions options;
  private final Function<io.vertx.core.Vertx, Router> routes;
  private final ConnectionBudget budget;
  private final Drain drain;
  private volatile HttpServer server;
  private ConnectionWatch watch;

  public RouterVerticle(HttpServerOptions options, Function<io.vertx.core.Vertx, Router> routes,
      ConnectionBudget budget, Drain drain) {
    this.options = options;
    this.routes = routes;
    this.budget = budget;
    this.drain = drain;
  }

  @Override
  public Future<?> start() {
    watch = new ConnectionWatch(vertx, budget);
    watch.start();
    Router router = routes.apply(vertx);
    // Before every other route (body handlers included): the request head has arrived.
    router.route().order(Integer.MIN_VALUE).handler(watch::requestStarted);
    router.route().order(Integer.MIN_VALUE + 1).handler(drain::handle);
    return vertx.createHttpServer(options)
        .connectionHandler(watch::opened)
        .requestHandler(router)
        .listen()
        .onSuccess(started -> server = started);
  }

  @Override
  public Future<?> stop() throws Exception {
    watch.stop();
    return super.stop();
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** This instance's server (instances on one port share the listening socket). */
  public HttpServer server() {
    return server;
  }
}
