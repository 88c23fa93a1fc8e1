package io.keepcluster.node.shutdown;

import io.keepcluster.node.health.Readiness;
import io.keepcluster.node.http.ConnectionBudget;
import io.keepcluster.node.http.Drain;
import io.keepcluster.node.http.Listener;
import io.keepcluster.node.users.HashingPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a node without failing a request, one logged phase after the other:
 * <ol>
 *   <li>{@code draining}: {@code /health/ready} answers 503 at once, yet every port keeps serving
 *       for the drain period so load balancers see the node leave before it stops answering;
 *       each connection is closed after its response ({@link Drain});</li>
 *   <li>{@code closing_listeners}: no new connections; requests in progress finish, logins queued
 *       for a password hash included (at most {@link #IN_FLIGHT_WAIT}, then what is left is cut);</li>
 *   <li>{@code leaving_cluster}: background components stop and the Hazelcast member leaves
 *       gracefully, so the other members see it go instead of waiting for its heartbeat;</li>
 *   <li>{@code closing_vertx}, then {@code done}.</li>
 * </ol>
 * The sequence runs on its own (non-daemon) thread, once; asking again only cuts the drain short.
 */
public final class ShutdownSequence {

  /** Longest wait for requests in progress once the listeners stop accepting. */
  public static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(10);
  private static final Duration HASHING_WAIT = Duration.ofSeconds(5);
  private static final Duration VERTX_CLOSE_WAIT = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);

  /** What the sequence stops, in the order it stops them. */
  public record Parts(String nodeId, Readiness readiness, Drain drain, List<Listener> listeners,
      ConnectionBudget connections, HashingPool hashing, Runnable components, AutoCloseable cluster,
      Vertx vertx) {}

  private final Parts parts;
  private final CountDownLatch drainCut = new CountDownLatch(1);
  private final CompletableFuture<Boolean> finished = new CompletableFuture<>();
  private boolean started;

  public ShutdownSequence(Parts parts) {
    this.parts = parts;
  }

  /**
   * Starts the sequence with {@code drain}, or, when it already runs, cuts the drain short.
   * Completes with true when every phase finished in time, false when something had to be cut.
   */
  public synchronized CompletableFuture<Boolean> begin(Duration drain) {
    if (started) {
      hurry();
      return finished;
    }
    started = true;
    Thread thread = new Thread(() -> run(drain), "keepcluster-shutdown");
    thread.setDaemon(false);
    thread.start();
    return finished;
  }

  /** Completes when the sequence has run (true when clean), without starting it. */
  public CompletableFuture<Boolean> finished() {
    return finished;
  }

  /** Ends the drain period now (a second signal); requests in progress still finish. */
  public void hurry() {
    if (drainCut.getCount() > 0 && !finished.isDone()) {
      drainCut.countDown();
      LOG.info("event=shutdown phase=drain_shortened node={}", parts.nodeId());
    }
  }

  private void run(Duration drain) {
    long start = System.nanoTime();
    boolean clean = true;
    try {
      LOG.info("event=shutdown phase=draining seconds={} node={}", drain.toSeconds(), parts.nodeId());
      parts.readiness().markNotReady();
      parts.drain().begin();
      if (!drain.isZero()) {
        drainCut.await(drain.toMillis(), TimeUnit.MILLISECONDS);
      }
      drainCut.countDown();

      LOG.info("event=shutdown phase=closing_listeners open_connections={} hashing_active={}"
              + " hashing_queued={} max_wait_s={} node={}", parts.connections().open(),
          parts.hashing().active(), parts.hashing().queued(), IN_FLIGHT_WAIT.toSeconds(), parts.nodeId());
      clean &= await("listeners", Future.join(parts.listeners().stream()
          .map(listener -> listener.shutdown(IN_FLIGHT_WAIT)).toList()), IN_FLIGHT_WAIT.plusSeconds(2));
      // Normally already idle: a hash outlives its request only when the client went away.
      clean &= await("password hashing", parts.hashing().idle(), HASHING_WAIT);

      LOG.info("event=shutdown phase=leaving_cluster node={}", parts.nodeId());
      // Each step on its own: a component that fails to close must not keep the member in the grid.
      clean &= step("components", parts.components()::run);
      clean &= step("cluster", parts.cluster()::close);

      LOG.info("event=shutdown phase=closing_vertx node={}", parts.nodeId());
      clean &= await("vert.x", parts.vertx().close(), VERTX_CLOSE_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    } catch (Exception e) {
      LOG.error("event=shutdown phase=failed node={} reason=\"{}\"", parts.nodeId(), e.toString());
      clean = false;
    }
    LOG.info("event=shutdown phase=done clean={} ms={} node={}", clean,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), parts.nodeId());
    finished.complete(clean);
  }

  private interface Step {
    void run() throws Exception;
  }

  private boolean step(String what, Step step) {
    try {
      step.run();
      return true;
    } catch (Exception e) {
      LOG.warn("event=shutdown phase=error what=\"{}\" reason=\"{}\" node={}", what, e.toString(), parts.nodeId());
      return false;
    }
  }

  private boolean await(String what, Future<?> future, Duration limit) throws InterruptedException {
    try {
      future.toCompletionStage().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      LOG.warn("event=shutdown phase=timeout what=\"{}\" waited_s={} node={}", what, limit.toSeconds(),
          parts.nodeId());
      return false;
    } catch (ExecutionException e) {
      LOG.warn("event=shutdown phase=error what=\"{}\" reason=\"{}\" node={}", what, e.getCause(),
          parts.nodeId());
      return false;
    }
  }
}
