package io.keepcluster.node.http;

import io.keepcluster.node.config.HttpLimits;
import io.keepcluster.node.tokens.TokenVerifier;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.Router;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Starts the node's HTTP servers: one router per port, on one or more event loops, all under the
 * same {@link HttpLimits}, one node-wide {@link ConnectionBudget} and one {@link Drain}; ports
 * marked TLS serve HTTPS with the node's certificate. A port that cannot be bound fails with a
 * {@link ListenException} naming it.
 */
public final class HttpServers {

  /**
   * Vert.x refuses more than 8 KiB of headers with 431, so an oversized bearer token would never
   * reach the verifier and get its 401: leave room for a token over the limit plus other headers.
   */
  static final int MAX_HEADER_BYTES = 2 * TokenVerifier.MAX_TOKEN_CHARS;

  private final Vertx vertx;
  private final ConnectionBudget budget;
  private final Drain drain;
  private final Optional<KeyCertOptions> certificate;

  /** {@code certificate}: what TLS ports present at start (empty when TLS is not configured). */
  public HttpServers(Vertx vertx, ConnectionBudget budget, Drain drain,
      Optional<KeyCertOptions> certificate) {
    this.vertx = vertx;
    this.budget = budget;
    this.drain = drain;
    this.certificate = certificate;
  }

  /**
   * Deploys {@code instances} server verticles on one address and answers the port they share.
   * Vert.x shares a concrete address between instances but gives each its own port for port 0,
   * so port 0 is first resolved to a free port (and retried if another process takes it first).
   */
  public Future<Listener> listen(PortSpec spec, Function<Vertx, Router> routes, int instances) {
    if (spec.tls() && certificate.isEmpty()) {
      return Future.failedFuture(new IllegalStateException(spec.name() + " port wants TLS but no certificate is loaded"));
    }
    if (instances == 1 || spec.port() != 0) {
      return deploy(spec, spec.port(), routes, instances);
    }
    return deploy(spec, FreePort.pick(spec.host()), routes, instances)
        .recover(failure -> deploy(spec, FreePort.pick(spec.host()), routes, instances))
        .recover(failure -> deploy(spec, FreePort.pick(spec.host()), routes, instances));
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

  private Future<Listener> deploy(PortSpec spec, int port, Function<Vertx, Router> routes, int instances) {
    List<RouterVerticle> deployed = new CopyOnWriteArrayList<>();
    HttpServerOptions options = options(spec.host(), port, budget.limits());
    if (spec.tls()) {
      // HTTP/1.1 over TLS (no ALPN), like the cleartext ports; the handshake deadline keeps a
      // silent TLS client from holding a connection slot past the request-head timeout.
      options.setSsl(true).setKeyCertOptions(certificate.orElseThrow())
          .setSslHandshakeTimeout(budget.limits().requestHeaderTimeout().toMillis())
          .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    }
    return vertx.deployVerticle(() -> {
          RouterVerticle verticle = new RouterVerticle(options, routes, budget, drain);
          deployed.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(instances))
        .recover(failure -> Future.failedFuture(ListenException.of(spec, port, failure)))
        .compose(id -> {
          Set<Integer> ports = new HashSet<>();
          deployed.forEach(v -> ports.add(v.actualPort()));
          return ports.size() == 1
              ? Future.succeededFuture(new Listener(spec, ports.iterator().next(),
                  deployed.stream().map(RouterVerticle::server).toList()))
              : vertx.undeploy(id).transform(ignored -> Future.failedFuture(
                  "servers on " + spec.host() + ":" + port + " did not share one port: " + ports));
        });
  }
}
