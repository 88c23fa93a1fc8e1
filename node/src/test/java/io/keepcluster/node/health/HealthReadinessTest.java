package io.keepcluster.node.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.keys.EphemeralKey;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.metrics.NodeMetrics;
import io.keepcluster.node.status.ClusterView;
import io.keepcluster.node.status.ProblemKind;
import io.keepcluster.node.status.Problems;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The rules that turn problems and the cluster's state into /health and /health/ready. */
class HealthReadinessTest {

  private final Problems problems = new Problems();
  private final Readiness readiness = new Readiness();
  private boolean clusterReady = true;
  private HealthReporter health;

  @BeforeEach
  void create() {
    EphemeralKey ephemeral = EphemeralKey.create("n1", "https://keep.test", new SecureRandom());
    KeyRing ring = new KeyRing(new KeyRingSnapshot(ephemeral.signing(), List.of(ephemeral.verifying())));
    ClusterView cluster = new ClusterView() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public List<String> members() {
        return List.of("n1");
      }

      @Override
      public boolean ready() {
        return clusterReady;
      }
    };
    health = new HealthReporter("n1", "test", ring, ephemeral.kid(), cluster, problems, readiness);
    readiness.markReady();
  }

  @Test
  @DisplayName("a node with no problem is UP and ready")
  void up() {
    assertEquals("UP", health.status());
    assertTrue(health.ready());
  }

  @Test
  @DisplayName("a node before its start completed (or while stopping) is DOWN and not ready")
  void down() {
    readiness.markNotReady();
    assertEquals("DOWN", health.status());
    assertFalse(health.ready());
  }

  @Test
  @DisplayName("a wrong-secret node is DEGRADED and not ready, and its problem says kind secret")
  void wrongSecret() {
    clusterReady = false;
    problems.report(ProblemKind.SECRET, "cluster secret", "KEEP_CLUSTER_SECRET does not match");

    assertEquals("DEGRADED", health.status());
    assertFalse(health.ready());
    JsonObject problem = health.report().getJsonArray("problems").getJsonObject(0);
    assertEquals("secret", problem.getString("kind"));
    assertEquals("cluster secret", problem.getString("file"));
  }

  @Test
  @DisplayName("a cluster that is not ready (grid lost, secret unproven) makes the node DEGRADED and not ready even before a problem is listed")
  void clusterNotReady() {
    clusterReady = false;
    assertEquals("DEGRADED", health.status());
    assertFalse(health.ready());
  }

  @Test
  @DisplayName("a config the next start would refuse makes the node DEGRADED and not ready; fixing it makes it UP again")
  void configProblem() {
    problems.report(ProblemKind.CONFIG, "config", "PORT must be a port number");
    assertEquals("DEGRADED", health.status());
    assertFalse(health.ready());

    problems.clear("config");
    assertEquals("UP", health.status());
    assertTrue(health.ready());
  }

  @Test
  @DisplayName("intruders in the grid leave an honest node UP and ready")
  void intrudersLeaveHonestNodesReady() {
    for (int i = 0; i < 50; i++) {
      problems.report(ProblemKind.INTRUDER, "cluster intruder 10.0.0." + i + ":5701", "no admission record");
    }
    assertEquals("UP", health.status());
    assertTrue(health.ready());
  }

  @Test
  @DisplayName("a restarted keyset scanner makes the node DEGRADED but it stays ready")
  void scannerDegradesButStaysReady() {
    problems.report(ProblemKind.KEYSET_SCANNER, "keyset-scanner", "restarted");
    assertEquals("DEGRADED", health.status());
    assertTrue(health.ready());
  }

  @Test
  @DisplayName("keepcluster_problems has a series for every kind, 0 until reported, back to 0 when cleared")
  void gauge() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new NodeMetrics(registry).watch(problems);
    for (ProblemKind kind : ProblemKind.values()) {
      assertTrue(registry.scrape().contains("keepcluster_problems{kind=\"" + kind.id() + "\"} 0.0"),
          kind.id() + " in " + registry.scrape());
    }

    problems.report(ProblemKind.SECRET, "cluster secret", "wrong");
    assertTrue(registry.scrape().contains("keepcluster_problems{kind=\"secret\"} 1.0"), registry.scrape());

    problems.clear("cluster secret");
    assertTrue(registry.scrape().contains("keepcluster_problems{kind=\"secret\"} 0.0"), registry.scrape());
  }
}
