package io.keepcluster.node.http;

import io.keepcluster.node.metrics.NodeMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.function.Function;

/**
 * The first handler of every router: gives the request its id ({@link RequestIds}) and times it
 * into {@code keepcluster_http_server_requests_seconds{server,route,method,status}}, so probes on
 * the health port and scrapes of the metrics port never count as API traffic. The route is the
 * template that answered ({@code /api/keysets/:kid/revoke}), never the raw path, so the number
 * of series stays bounded whatever clients send.
 */
public final class RequestObservation {

  /** The servers of a node, as the {@code server} tag names them. */
  public static final String API = "api";
  public static final String HEALTH = "health";
  public static final String MANAGEMENT = "management";
  public static final String METRICS = "metrics";

  private static final Set<HttpMethod> KNOWN_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD,
      HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS);

  private RequestObservation() {}

  /** {@code routes}, with the observation installed in front of every route. */
  public static Function<Vertx, Router> observed(String server, NodeMetrics metrics,
      Function<Vertx, Router> routes) {
    return vertx -> {
      Router router = routes.apply(vertx);
      router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
        long start = System.nanoTime();
        RequestIds.assign(ctx);
        ctx.addEndHandler(ended -> metrics.httpRequest(server, route(ctx), method(ctx),
            ctx.response().getStatusCode(), System.nanoTime() - start));
        ctx.next();
      });
      return router;
    };
  }

  /** The template of the route that answered; {@code unmatched} when none did. */
  static String route(RoutingContext ctx) {
    Route current = ctx.currentRoute();
    String path = current == null ? null : current.getPath();
    int status = ctx.response().getStatusCode();
    if (path == null || (status == 404 && path.endsWith("*"))) {
      return status == 404 || status == 405 ? "unmatched" : "other";
    }
    return path;
  }

  private static String method(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    return KNOWN_METHODS.contains(method) ? method.name() : "other";
  }
}
