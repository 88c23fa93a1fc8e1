package io.keepcluster.node.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One server's connections: refuses those over the node's cap and enforces the request deadline.
 *
 * <p>An idle timeout never catches a slowloris client, which keeps a connection busy by sending
 * one header byte every few seconds. So every connection carries a deadline: it must deliver a
 * complete request head within {@code requestHeaderTimeout} of opening or of its previous
 * response ending, and then the request's body within the same time of the head. A connection
 * that misses it is closed. A request whose body has arrived and that is being answered (a login
 * waiting for its hash) is never cut off; the deadline starts again when its response ends.
 *
 * <p>Vert.x 5 has no native header-read timeout, so this is a timer per connection, armed from
 * {@code connectionHandler} and restarted from the first route of every request. Everything here
 * runs on the server's event loop: no locks. Connections are keyed by their remote address, so
 * the HTTP/2 connection that replaces an HTTP/1.1 one on an h2c upgrade keeps the same slot.
 */
final class ConnectionWatch {

  private final Vertx vertx;
  private final ConnectionBudget budget;
  private final long deadlineMillis;
  private final Map<String, Tracked> connections = new HashMap<>();

  ConnectionWatch(Vertx vertx, ConnectionBudget budget) {
    this.vertx = vertx;
    this.budget = budget;
    this.deadlineMillis = budget.limits().requestHeaderTimeout().toMillis();
  }

  /** The server's {@code connectionHandler}. */
  void opened(HttpConnection connection) {
    String key = key(connection);
    Tracked upgraded = connections.get(key);
    if (upgraded != null) {
      // The same socket as a new protocol (h2c upgrade): keep its slot and its requests.
      upgraded.connection = connection;
      connection.closeHandler(v -> released(key, upgraded));
      return;
    }
    if (!budget.tryOpen()) {
      connection.close();
      return;
    }
    Tracked tracked = new Tracked(connection);
    connections.put(key, tracked);
    connection.closeHandler(v -> released(key, tracked));
    arm(tracked);
  }

  /** The first route of every request: the head has arrived; the body is now on the clock. */
  void requestStarted(RoutingContext ctx) {
    Tracked tracked = connections.get(key(ctx.request().connection()));
    if (tracked != null) {
      HttpServerRequest request = ctx.request();
      tracked.inFlight.add(request);
      arm(tracked);
      ctx.addEndHandler(done -> {
        tracked.inFlight.remove(request);
        if (tracked.inFlight.isEmpty() && !tracked.released) {
          arm(tracked);
        }
      });
    }
    ctx.next();
  }

  private void arm(Tracked tracked) {
    if (tracked.timer >= 0) {
      vertx.cancelTimer(tracked.timer);
    }
    tracked.timer = vertx.setTimer(deadlineMillis, id -> expired(tracked, id));
  }

  private void expired(Tracked tracked, long id) {
    if (tracked.timer != id || tracked.released) {
      return;
    }
    tracked.timer = -1;
    boolean waitingForHead = tracked.inFlight.isEmpty();
    boolean waitingForBody = tracked.inFlight.stream().anyMatch(r -> !r.isEnded());
    if (waitingForHead || waitingForBody) {
      budget.timedOut();
      tracked.connection.close();
    }
    // Otherwise every request has arrived and is being answered: the end handler re-arms.
  }

  private void released(String key, Tracked tracked) {
    if (tracked.released) {
      return;
    }
    tracked.released = true;
    if (tracked.timer >= 0) {
      vertx.cancelTimer(tracked.timer);
    }
    connections.remove(key, tracked);
    budget.released();
  }

  private static String key(HttpConnection connection) {
    return String.valueOf(connection.remoteAddress()) + '>' + connection.localAddress();
  }

  /** A connection's state; touched only on its event loop. */
  private static final class Tracked {
    HttpConnection connection;
    final Set<HttpServerRequest> inFlight = new HashSet<>();
    long timer = -1;
    boolean released;

    Tracked(HttpConnection connection) {
      this.connection = connection;
    }
  }
}
