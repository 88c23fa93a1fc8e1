package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.Health;
import io.keepcluster.it.harness.ItPaths;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.RogueMember;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.Waits;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Readiness tells the truth: a node that cannot do its job says so on /health/ready (so a load
 * balancer takes it out), an intruder cannot take an honest node out, and a config that would not
 * start is refused when it is dropped, with the very line the start prints.
 */
@DisplayName("Honest readiness: wrong secret, intruders, config that would not start, first start")
class HonestReadinessIT extends ThreeNodeCluster {

  private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T.*");

  @Test
  @DisplayName("a wrong-secret node is DEGRADED, not ready, problem kind secret, gauge 1; the honest nodes stay UP and ready")
  void wrongSecretNodeIsNotReadyAndHonestNodesStayReady() {
    Map<String, String> wrong = Map.of("KEEP_CLUSTER_SECRET", "not-" + cluster.secret(), "KEEP_NODE_ID", "wrongsecret");
    NodeProcess intruder = cluster.extraNode("wrongsecret", wrong).start();

    Waits.within(60, "the wrong-secret node reports kind secret").untilAsserted(() -> {
      Health h = intruder.client().health();
      assertEquals(503, h.httpStatus(), h.toString());
      assertEquals("DEGRADED", h.json().getString("status"), h.toString());
      assertTrue(kinds(h).contains("secret"), h.toString());
    });
    assertEquals(503, intruder.client().ready().status(), "/health/ready of the wrong-secret node");
    assertEquals(1.0, gauge(intruder, "secret"), "keepcluster_problems{kind=\"secret\"}");
    System.out.println("[it] wrong-secret node: " + intruder.client().health());

    // The honest nodes see it as an intruder, list it, and stay in service.
    Waits.within(30, "honest nodes list the intruder").untilAsserted(() -> {
      for (NodeProcess n : cluster.nodes()) {
        Health h = n.client().health();
        assertTrue(kinds(h).contains("intruder"), h.toString());
      }
    });
    Waits.within(Duration.ofSeconds(15), "honest nodes stay ready").during(Duration.ofSeconds(3)).untilAsserted(() -> {
      for (NodeProcess n : cluster.nodes()) {
        Health h = n.client().health();
        assertEquals(200, h.httpStatus(), h.toString());
        assertEquals("UP", h.json().getString("status"), h.toString());
        assertEquals(200, n.client().ready().status(), "/health/ready of " + n.id());
      }
    });
    for (NodeProcess n : cluster.nodes()) {
      assertEquals(0.0, gauge(n, "secret"), n.id());
      assertTrue(gauge(n, "intruder") >= 1.0, n.id() + " counts the intruder");
    }
    intruder.stop();
  }

  @Test
  @DisplayName("four rogue members, outnumbering the three honest nodes, leave every honest node UP and ready, and a node restarted among them is ready again")
  void outnumberingIntrudersCannotUnreadyHonestNodes() {
    List<RogueMember> rogues = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        rogues.add(RogueMember.join(cluster));
      }
      Waits.within(30, "every honest node lists the four intruders").untilAsserted(() -> {
        for (NodeProcess n : cluster.nodes()) {
          Health h = n.client().health();
          assertTrue(h.intruders().size() >= 4, h.toString());
        }
      });
      Waits.within(Duration.ofSeconds(15), "honest nodes stay ready among intruders").during(Duration.ofSeconds(3))
          .untilAsserted(() -> {
            for (NodeProcess n : cluster.nodes()) {
              Health h = n.client().health();
              assertEquals(200, h.httpStatus(), h.toString());
              assertEquals(200, n.client().ready().status(), "/health/ready of " + n.id());
            }
          });

      NodeProcess node3 = cluster.node(3);
      node3.stop();
      node3.start();
      Waits.within(60, "node3 restarted among intruders is ready").untilAsserted(() -> {
        Health h = node3.client().health();
        assertEquals(200, node3.client().ready().status(), h.toString());
        assertEquals(3, h.members().size(), h.toString());
        assertTrue(h.problems().stream().noneMatch(p -> "secret".equals(p.getString("kind"))), h.toString());
      });
      assertEquals(200, node3.client().login(ADMIN, ADMIN_PASSWORD).status(), "login on node3");
    } finally {
      rogues.forEach(RogueMember::close);
    }
  }

  @Test
  @DisplayName("a fresh volume (00-cluster.json and lost+found) gets its admin; a config that would not start is refused when dropped, with the start's own line")
  void firstStartAndConfigThatWouldNotStart() throws Exception {
    String test = getClass().getSimpleName();
    Path dir = ItPaths.nodeRoot(test).resolve("volume").resolve("keepconfig.d");
    ItPaths.deleteTree(dir.getParent());
    Files.createDirectories(dir.resolve("lost+found"));
    // What a Kubernetes init container leaves: the ports here, so a dropped PORT can break them.
    Files.writeString(dir.resolve("00-cluster.json"), new JsonObject().put("PORT", 0).put("HEALTHCHECKPORT", 0)
        .put("MANAGMENTPORT", 0).put("METRICSPORT", 0).put("publicUrl", Cluster.PUBLIC_URL).encode());
    Map<String, String> env = new HashMap<>(NodeProcess.singleNodeEnv(ADMIN_PASSWORD));
    List.of("PORT", "HEALTHCHECKPORT", "MANAGMENTPORT", "METRICSPORT").forEach(env::remove);

    try (NodeProcess node = new NodeProcess("volume", dir, ItPaths.logDir(test), env).start()) {
      assertEquals(200, node.client().login(ADMIN, ADMIN_PASSWORD).status(), "admin from KEEP_ADMIN_PASSWORD");
      assertEquals(200, node.client().management("GET", "/api/node").status(), "management from KEEP_MANAGEMENT_PASSWORD");
      assertEquals(200, node.client().ready().status());

      refusedAtDropAndAtRestart(node, "30-broken.json", "{\"leeway\": ");
      refusedAtDropAndAtRestart(node, "40-ports.json", "{\"PORT\": \"x\"}");
    }
  }

  /** Dropped on the running node: 503 with the start's message; restarted: exit 2, the same line; removed: ready. */
  private static void refusedAtDropAndAtRestart(NodeProcess node, String file, String content) throws Exception {
    Files.writeString(node.configDir().resolve(file), content);
    Waits.within(15, "config problem for " + file).untilAsserted(() -> {
      Health h = node.client().health();
      assertEquals(503, h.httpStatus(), h.toString());
      assertEquals("DEGRADED", h.json().getString("status"), h.toString());
      assertTrue(kinds(h).contains("config"), h.toString());
    });
    assertEquals(503, node.client().ready().status(), "/health/ready with " + file);
    assertEquals(1.0, gauge(node, "config"));
    String reported = configProblem(node.client().health()).orElseThrow();
    System.out.println("[it] " + file + " on /health: " + reported);

    node.stop();
    node.launch();
    int exit = node.awaitExit(Duration.ofSeconds(30));
    List<String> lines = node.stderrSinceLastStart().lines()
        .filter(l -> !l.isBlank() && !LOG_LINE.matcher(l).matches()).collect(Collectors.toList());
    assertEquals(2, exit, "exit code; log " + node.logFile());
    assertEquals(List.of("keepcluster: " + reported), lines, "the start's line is the one /health showed");

    Files.delete(node.configDir().resolve(file));
    node.start();
    Waits.within(30, "ready again without " + file).untilAsserted(() ->
        assertEquals(200, node.client().ready().status()));
    assertEquals(0.0, gauge(node, "config"));
  }

  private static Optional<String> configProblem(Health h) {
    return h.problems().stream().filter(p -> "config".equals(p.getString("kind")))
        .map(p -> p.getString("error")).findFirst();
  }

  private static List<String> kinds(Health h) {
    return h.problems().stream().map(p -> p.getString("kind", "")).collect(Collectors.toList());
  }

  /** {@code keepcluster_problems{kind="..."}} scraped from the node's metrics port. */
  private static double gauge(NodeProcess node, String kind) {
    String series = "keepcluster_problems{kind=\"" + kind + "\"}";
    for (String line : node.client().metrics().body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError(series + " missing from /metrics of " + node.id());
  }
}
