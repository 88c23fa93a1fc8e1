package io.keepcluster.node.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The node-wide "stopping" switch of the HTTP servers. While draining every request is still
 * served in full, but its connection is closed once the response is out ({@code Connection:
 * close} on HTTP/1.x, GOAWAY on HTTP/2): clients and load balancers open fresh connections, which
 * go to nodes that are still ready, and no idle keep-alive connection is left for a client to
 * reuse at the moment the listener closes (the classic source of empty replies on a restart).
 */
public final class Drain {

  private final Duration responseDeadline;
  private volatile boolean draining;

  /** {@code responseDeadline}: how long a draining connection may take to finish its response. */
  public Drain(Duration responseDeadline) {
    this.responseDeadline = responseDeadline;
  }

  public void begin() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  /** A router handler placed before every other route. */
  void handle(RoutingContext ctx) {
    if (draining) {
      if (ctx.request().version() != HttpVersion.HTTP_2) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      }
      // Graceful: Vert.x closes the connection after the response in progress, not before.
      ctx.request().connection().shutdown(responseDeadline.toMillis(), TimeUnit.MILLISECONDS);
    }
    ctx.next();
  }
}
