package io.keepcluster.node.grid;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import io.keepcluster.node.config.ClusterSettings;
import io.keepcluster.node.status.ProblemKind;
import io.keepcluster.node.status.Problems;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The embedded member comes back by itself when something else shuts it down. */
class GridRejoinTest {

  private static final Duration SOON = Duration.ofSeconds(40);

  private Grid a;
  private Grid b;

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  @DisplayName("after Cluster.shutdown() every node reports not ready, rejoins, and the records it holds are in the grid again")
  void clusterShutdownIsSurvived() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String name = "rejoin-" + UUID.randomUUID();
    List<Integer> ports = List.of(freePort(), freePort());
    List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
    Problems problemsA = new Problems();
    a = Grid.start(settings(name, members, ports.get(0)), "nodeA", new JsonObject(), key, problemsA, Clock.systemUTC());
    b = Grid.start(settings(name, members, ports.get(1)), "nodeB", new JsonObject(), key, new Problems(), Clock.systemUTC());
    SealedMap usersA = a.map("keepcluster.users", "user");
    SealedMap usersB = b.map("keepcluster.users", "user");
    assertTrue(a.awaitConfirmed(SOON) && b.awaitConfirmed(SOON));
    usersA.put("alice", new JsonObject().put("dn", "CN=Alice"));
    await().atMost(SOON).until(() -> usersB.get("alice").isPresent());

    HazelcastInstance before = a.member().running().orElseThrow();
    // The loss lasts as long as a Hazelcast join: a 5 ms poll sees its "grid" problem.
    AtomicBoolean gridProblemSeen = new AtomicBoolean();
    ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor();
    poll.scheduleAtFixedRate(() -> {
      if (problemsA.count(ProblemKind.GRID) == 1 && problemsA.unready()) {
        gridProblemSeen.set(true);
      }
    }, 0, 5, TimeUnit.MILLISECONDS);
    // Hazelcast refuses a cluster shutdown while partitions migrate; an attacker simply retries.
    await("the cluster shutdown goes through").atMost(SOON).ignoreExceptions().until(() -> {
      before.getCluster().shutdown();
      return true;
    });

    await("both nodes notice").atMost(SOON).until(() -> !before.getLifecycleService().isRunning());
    await("both nodes rejoin and are ready").atMost(SOON).until(() ->
        a.ready() && b.ready() && a.rejoins() >= 1 && b.rejoins() >= 1
            && a.members().equals(List.of("nodeA", "nodeB")) && b.members().equals(List.of("nodeA", "nodeB")));
    await("the held record is published again").atMost(SOON).until(() ->
        a.member().running().orElseThrow().getMap("keepcluster.users").containsKey("alice"));
    assertTrue(usersB.get("alice").isPresent());
    assertFalse(a.member().running().orElseThrow() == before);
    poll.shutdownNow();
    assertTrue(gridProblemSeen.get(), "a grid problem (unready) while the member was lost");
    assertEquals(0, problemsA.count(ProblemKind.GRID), "cleared at the rejoin: " + problemsA.all());
  }

  private static ClusterSettings settings(String name, List<String> members, int port) {
    return new ClusterSettings(name, members, port, Optional.of("127.0.0.1"), false, Optional.empty());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
