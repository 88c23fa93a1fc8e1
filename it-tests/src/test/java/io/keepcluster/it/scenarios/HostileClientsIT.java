package io.keepcluster.it.scenarios;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ItPaths;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeLogsOnFailure;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.Waits;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/** Issue 8: idle sockets, slowloris sockets and a login flood against one real node. */
@DisplayName("Hostile clients")
@ExtendWith(NodeLogsOnFailure.class)
// Runs alone: it measures login latency during the attack and a 3 s deadline.
@Isolated
class HostileClientsIT {

  private static final String TEST = "HostileClientsIT";
  private static final int IDLE_SOCKETS = 300;
  private static final int SLOWLORIS_SOCKETS = 30;
  private static final int HEADER_DEADLINE_SECONDS = 3;

  @Test
  @DisplayName("300 idle and 30 slowloris sockets neither slow logins nor bearer calls, and the slow ones are closed at the deadline; a login flood gets 200 or 503 + Retry-After")
  void hostileClients() throws Exception {
    ItPaths.deleteTree(ItPaths.logDir(TEST));
    Path dir = ItPaths.nodeRoot(TEST).resolve("node").resolve("keepconfig.d");
    ItPaths.deleteTree(dir.getParent());
    List<Socket> sockets = new ArrayList<>();
    try (NodeProcess node = new NodeProcess("node", dir, ItPaths.logDir(TEST),
        NodeProcess.singleNodeEnv(Cluster.ADMIN_PASSWORD)).start()) {
      // The first start bootstraps the admin on the empty folder; the limits apply from the restart.
      Files.writeString(dir.resolve("limits.json"), "{\"http\":{\"idleTimeoutSeconds\":60,"
          + "\"requestHeaderTimeoutSeconds\":" + HEADER_DEADLINE_SECONDS + "}}");
      node.restart(false);
      NodeClient client = node.client();
      Waits.within(30, "node UP").until(() -> client.health().up());
      String bearer = client.token(Cluster.ADMIN, Cluster.ADMIN_PASSWORD);
      Latencies before = measure(client, bearer, 20);
      System.out.println("[it] baseline " + before);

      for (int i = 0; i < IDLE_SOCKETS; i++) {
        sockets.add(new Socket("127.0.0.1", node.ports().api()));
      }
      List<Socket> slow = new ArrayList<>();
      for (int i = 0; i < SLOWLORIS_SOCKETS; i++) {
        Socket socket = new Socket("127.0.0.1", node.ports().api());
        socket.getOutputStream().write("GET /api/v1/userinfo HTTP/1.1\r\nHost: x\r\nX-a: "
            .getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout(50);
        slow.add(socket);
        sockets.add(socket);
      }
      long slowStart = System.nanoTime();
      Latencies during = measure(client, bearer, 20);
      trickle(slow);
      System.out.println("[it] during attack " + during);
      long boundNanos = Math.max(TimeUnit.SECONDS.toNanos(1), 10 * before.p95Nanos());
      assertTrue(during.p95Nanos() < boundNanos, "p95 during the attack " + during + " vs baseline " + before);

      // Every slowloris socket is closed by the node within the deadline plus a few seconds.
      await().atMost(Duration.ofSeconds(HEADER_DEADLINE_SECONDS + 5)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            trickle(slow);
            return slow.stream().allMatch(Socket::isInputShutdown);
          });
      System.out.println("[it] slowloris sockets closed after "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - slowStart) + " ms");

      floodThenOneLogin(node, client);
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  /** Sends one more header byte on every open slow socket; marks the ones the node closed. */
  private static void trickle(List<Socket> slow) {
    for (Socket socket : slow) {
      if (socket.isInputShutdown()) {
        continue;
      }
      try {
        OutputStream out = socket.getOutputStream();
        out.write('a');
        out.flush();
        if (socket.getInputStream().read() == -1) {
          socket.shutdownInput();
        }
      } catch (SocketTimeoutException stillOpen) {
        // The node is still waiting for the rest of the head.
      } catch (IOException closed) {
        try {
          socket.shutdownInput();
        } catch (IOException alreadyGone) {
          closeQuietly(socket);
        }
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing a reset socket: nothing left to release.
    }
  }

  private static void floodThenOneLogin(NodeProcess node, NodeClient client) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body = "{\"username\":\"" + Cluster.ADMIN + "\",\"password\":\"" + Cluster.ADMIN_PASSWORD + "\"}";
    HttpRequest login = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.ports().api() + "/api/v1/auth"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        answers.add(pool.submit(() -> http.send(login, HttpResponse.BodyHandlers.ofString())));
      }
      int ok = 0;
      int busy = 0;
      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
        if (response.statusCode() == 200) {
          ok++;
        } else {
          assertEquals(503, response.statusCode(), response.body());
          assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
          busy++;
        }
      }
      System.out.println("[it] login flood of 64: " + ok + " x 200, " + busy + " x 503");
    } finally {
      pool.shutdownNow();
    }
    long start = System.nanoTime();
    client.token(Cluster.ADMIN, Cluster.ADMIN_PASSWORD);
    long after = System.nanoTime() - start;
    System.out.println("[it] one login after the flood: " + TimeUnit.NANOSECONDS.toMillis(after) + " ms");
    assertTrue(after < TimeUnit.SECONDS.toNanos(1), "login after the flood took " + after / 1_000_000 + " ms");
  }

  private static Latencies measure(NodeClient client, String bearer, int rounds) {
    List<Long> logins = new ArrayList<>();
    List<Long> calls = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      client.token(Cluster.ADMIN, Cluster.ADMIN_PASSWORD);
      logins.add(System.nanoTime() - start);
      start = System.nanoTime();
      assertEquals(200, client.userinfo(bearer).status());
      calls.add(System.nanoTime() - start);
    }
    return new Latencies(logins, calls);
  }

  private record Latencies(List<Long> logins, List<Long> calls) {
    long p95Nanos() {
      return Math.max(percentile(logins, 95), percentile(calls, 95));
    }

    static long percentile(List<Long> values, int p) {
      List<Long> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    @Override
    public String toString() {
      return String.format("login p50=%d ms p95=%d ms, userinfo p50=%.1f ms p95=%.1f ms",
          percentile(logins, 50) / 1_000_000, percentile(logins, 95) / 1_000_000,
          percentile(calls, 50) / 1e6, percentile(calls, 95) / 1e6);
    }
  }
}
