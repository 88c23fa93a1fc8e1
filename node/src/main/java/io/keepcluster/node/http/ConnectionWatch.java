package io.keepcluster.node.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
 * <p>Vert.x 5 has no native header-read timeout. Deadlines are noted per connection (from
 * {@code connectionHandler} and from the first route of every request) and one periodic sweep
 * per server closes the late ones, so 10,000 connections cost one timer, not 10,000. Everything
 * here runs on the server's event loop: no locks. Connections are keyed by their addresses, so
 * the HTTP/2 connection that replaces an HTTP/1.1 one on the same socket keeps its slot.
 */
final class ConnectionWatch {

  private final Vertx vertx;
  private final ConnectionBudget budget;
  private final long deadlineNanos;
  private final Map<String, Tracked> connections = new HashMap<>();
  private long sweeper = -1;

  ConnectionWatch(Vertx vertx, ConnectionBudget budget) {
    this.vertx = vertx;
    this.budget = budget;
    this.deadlineNanos = budget.limits().requestHeaderTimeout().toNanos();
  }

  /** Starts the sweep; call from the verticle's start, on its event loop. */
  void start() {
    long period = Math.max(50, Math.min(1000, budget.limits().requestHeaderTimeout().toMillis() / 4));
    sweeper = vertx.setPeriodic(period, id -> sweep(System.nanoTime()));
  }

  void stop() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
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
    Tracked tracked = new Tracked(connection, System.nanoTime() + deadlineNanos);
    connections.put(key, tracked);
    connection.closeHandler(v -> released(key, tracked));
  }

  /** The first route of every request: the head has arrived; the body is now on the clock. */
  void requestStarted(RoutingContext ctx) {
    Tracked tracked = connections.get(key(ctx.request().connection()));
    if (tracked != null) {
      HttpServerRequest request = ctx.request();
      tracked.inFlight.add(request);
      tracked.deadline = System.nanoTime() + deadlineNanos;
      ctx.addEndHandler(done -> {
        tracked.inFlight.remove(request);
        if (tracked.inFlight.isEmpty()) {
          tracked.deadline = System.nanoTime() + deadlineNanos;
        }
      });
    }
    ctx.next();
  }

  private void sweep(long now) {
    List<Tracked> late = new ArrayList<>();
    for (Tracked tracked : connections.values()) {
      if (now - tracked.deadline > 0 && waitingForClient(tracked)) {
        late.add(tracked);
      }
    }
    for (Tracked tracked : late) {
      budget.timedOut();
      tracked.deadline = Long.MAX_VALUE;
      tracked.connection.close();
    }
  }

  /**
   * True while the node waits for the client: for a request head (nothing in flight) or for a
   * body. A request that has fully arrived is being answered and is not the client's fault.
   */
  private static boolean waitingForClient(Tracked tracked) {
    return tracked.inFlight.isEmpty() || tracked.inFlight.stream().anyMatch(r -> !r.isEnded());
  }

  private void released(String key, Tracked tracked) {
    if (tracked.released) {
      return;
    }
    tracked.released = true;
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
    long deadline;
    boolean released;

    Tracked(HttpConnection connection, long deadline) {
      this.connection = connection;
      this.deadline = deadline;
    }
  }
}
