package io.keepcluster.node.http;

import io.keepcluster.node.config.HttpLimits;
import io.keepcluster.node.tokens.TokenVerifier;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Starts the node's HTTP servers: one router per port, on one or more event loops, all under the
 * same {@link HttpLimits} and one node-wide {@link ConnectionBudget}.
 */
public final class HttpServers {

  /**
   * Vert.x refuses more than 8 KiB of headers with 431, so an oversized bearer token would never
   * reach the verifier and get its 401: leave room for a token over the limit plus other headers.
   */
  static final int MAX_HEADER_BYTES = 2 * TokenVerifier.MAX_TOKEN_CHARS;

  private HttpServers() {}

  /**
   * Deploys {@code instances} server verticles on one address and answers the port they share.
   * Vert.x shares a concrete address between instances but gives each its own port for port 0,
   * so port 0 is first resolved to a free port (and retried if another process takes it first).
   */
  public static Future<Integer> listen(Vertx vertx, String host, int port,
      Function<Vertx, Router> routes, int instances, ConnectionBudget budget) {
    if (instances == 1 || port != 0) {
      return deploy(vertx, host, port, routes, instances, budget);
    }
    return deploy(vertx, host, FreePort.pick(host), routes, instances, budget)
        .recover(failure -> deploy(vertx, host, FreePort.pick(host), routes, instances, budget))
        .recover(failure -> deploy(vertx, host, FreePort.pick(host), routes, instances, budget));
  }

  /** The server options every port shares: header and request-line limits, the idle timeout. */
  static HttpServerOptions options(String host, int port, HttpLimits limits) {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        .setMaxInitialLineLength(limits.maxInitialLineLength())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setIdleTimeout(Math.toIntExact(limits.idleTimeout().toMillis()))
        // h2c detection waits for the client's first bytes before Vert.x reports the connection,
        // so a silent socket would escape the connection cap and the request deadline. HTTP/1.1
        // only in cleartext; clients that offer an h2c upgrade carry on over HTTP/1.1.
        .setHttp2ClearTextEnabled(false);
    options.getInitialSettings().setMaxHeaderListSize(MAX_HEADER_BYTES);
    return options;
  }

  private static Future<Integer> deploy(Vertx vertx, String host, int port,
      Function<Vertx, Router> routes, int instances, ConnectionBudget budget) {
    List<RouterVerticle> deployed = new CopyOnWriteArrayList<>();
    HttpServerOptions options = options(host, port, budget.limits());
    return vertx.deployVerticle(() -> {
          RouterVerticle verticle = new RouterVerticle(options, routes, budget);
          deployed.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(instances))
        .compose(id -> {
          Set<Integer> ports = new HashSet<>();
          deployed.forEach(v -> ports.add(v.actualPort()));
          return ports.size() == 1 ? Future.succeededFuture(ports.iterator().next())
              : vertx.undeploy(id).transform(ignored -> Future.failedFuture(
                  "servers on " + host + ":" + port + " did not share one port: " + ports));
        });
  }
}
