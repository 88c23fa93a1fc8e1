package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeLogsOnFailure;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Issue 11: SIGTERM during a burst of logins. A "load balancer" polls node 1's
 * {@code /health/ready} and stops routing to it once it answers 503, as a real one would; every
 * request it routed before that must get a full 200, the node must exit 0 with no stack trace,
 * and node 2 must see it leave and stay ready.
 */
@DisplayName("Issue 11: graceful shutdown of a node under a login burst")
@ExtendWith(NodeLogsOnFailure.class)
// Runs alone: it times the drain and the other member's view of the leave.
@Isolated
class GracefulShutdownIT {

  private static final int CLIENTS = 4;
  private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at [\\w.$]+\\(.*");

  private static Cluster cluster;

  @BeforeAll
  static void form() {
    cluster = Cluster.startFormed("GracefulShutdownIT", 2, Map.of("KEEP_SHUTDOWN_DRAIN_SECONDS", "2"));
  }

  @AfterAll
  static void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @DisplayName("SIGTERM mid-burst: ready turns 503 while logins still succeed, no routed request fails, exit 0, and node 2 sees node 1 leave")
  void sigtermDuringLoginBurst() throws Exception {
    NodeProcess leaving = cluster.node(1);
    NodeProcess staying = cluster.node(2);
    NodeClient client = leaving.client();
    AtomicBoolean routedAway = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger ok = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger stayingNotReady = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    ScheduledExecutorService balancer = Executors.newSingleThreadScheduledExecutor();
    try {
      // The load balancer: node 1 leaves the rotation at its first 503; node 2 must never leave it.
      balancer.scheduleWithFixedDelay(() -> {
        try {
          if (!routedAway.get() && client.ready().status() == 503) {
            routedAway.set(true);
            System.out.println("[it] load balancer: node1 answered 503 on /health/ready, routing away");
          }
        } catch (RuntimeException e) {
          routedAway.set(true);
        }
        try {
          if (staying.client().ready().status() != 200) {
            stayingNotReady.incrementAndGet();
          }
        } catch (RuntimeException e) {
          stayingNotReady.incrementAndGet();
        }
      }, 0, 50, TimeUnit.MILLISECONDS);
      for (int i = 0; i < CLIENTS; i++) {
        pool.submit(() -> {
          while (!routedAway.get() && !stop.get()) {
            try {
              NodeClient.Reply reply = client.login(ADMIN, ADMIN_PASSWORD);
              if (reply.status() == 200 && reply.json().getString("bearer") != null) {
                ok.incrementAndGet();
              } else {
                failures.add(reply.status() + " " + reply.body());
              }
            } catch (RuntimeException e) {
              failures.add(e.toString());
            }
          }
        });
      }
      Waits.within(60, "the burst is under way").until(() -> ok.get() >= 2 * CLIENTS);
      int beforeSignal = ok.get();
      long signalled = System.nanoTime();
      leaving.terminate();

      Waits.within(30, "node1 reports not ready").until(routedAway::get);
      // Not routed any more, but still answering: the drain keeps the API up for late clients.
      NodeClient.Reply late = client.login(ADMIN, ADMIN_PASSWORD);
      assertEquals(200, late.status(), "a login during the drain: " + late.body());

      int exit = leaving.awaitExit(Duration.ofSeconds(60));
      long stoppedMs = Duration.ofNanos(System.nanoTime() - signalled).toMillis();
      System.out.printf("[it] graceful stop: %d logins ok before SIGTERM, %d in all, %d failed; exit %d after %d ms%n",
          beforeSignal, ok.get(), failures.size(), exit, stoppedMs);
      assertEquals(List.of(), List.copyOf(failures), "requests routed to node1 that did not get a full 200");
      assertEquals(0, exit, "exit code; log " + leaving.logFile());

      String log = leaving.stderrSinceLastStart();
      List<String> frames = log.lines().filter(l -> STACK_FRAME.matcher(l).matches()).toList();
      assertEquals(List.of(), frames, "stack traces in " + leaving.logFile());
      assertTrue(!log.contains("RejectedExecutionException"), "a rejected task in " + leaving.logFile());
      assertPhasesInOrder(log, "phase=draining seconds=2", "phase=closing_listeners", "phase=leaving_cluster",
          "phase=closing_vertx", "phase=done clean=true");

      Waits.within(30, "node2 sees node1 leave").until(() -> staying.client().health().members().size() == 1);
      long leaveSeenMs = Duration.ofNanos(System.nanoTime() - signalled).toMillis() - stoppedMs;
      System.out.printf("[it] node2 lists 1 member %d ms after node1 exited%n", leaveSeenMs);
      // A leaving master is noticed by its closed connections (Hazelcast then logs a "suspected"
      // member), never by the 5 s heartbeat timeout a crash needs.
      assertTrue(leaveSeenMs < 5_000, "node2 noticed the leave only after " + leaveSeenMs + " ms");
      assertEquals(200, staying.client().ready().status(), "node2 stays ready");
      assertEquals(0, stayingNotReady.get(), "polls where node2 was not ready");
      assertEquals(200, staying.client().login(ADMIN, ADMIN_PASSWORD).status(), "node2 still logs users in");
      String stayingLog = staying.stderrSinceLastStart();
      assertTrue(stayingLog.contains("event=member_left node=node2 member=node1"),
          "node2 logs node1's leave; log " + staying.logFile());
      assertTrue(!stayingLog.contains("heartbeat timeout") && !stayingLog.contains("Heartbeat timeout"),
          "node2 saw a graceful leave, not a heartbeat timeout; log " + staying.logFile());
    } finally {
      stop.set(true);
      routedAway.set(true);
      balancer.shutdownNow();
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private static void assertPhasesInOrder(String log, String... phases) {
    int from = 0;
    for (String phase : phases) {
      int at = log.indexOf("event=shutdown " + phase, from);
      assertTrue(at >= 0, "missing or out of order: event=shutdown " + phase);
      from = at;
    }
  }
}
