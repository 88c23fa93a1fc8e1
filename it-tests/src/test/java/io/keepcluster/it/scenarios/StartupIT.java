package io.keepcluster.it.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.Health;
import io.keepcluster.it.harness.ItPaths;
import io.keepcluster.it.harness.NodeLogsOnFailure;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Starting a node")
@ExtendWith(NodeLogsOnFailure.class)
class StartupIT {

  private static final String TEST = "StartupIT";
  /** A log line of the node (the text format starts with a timestamp), as opposed to a plain message. */
  private static final java.util.regex.Pattern LOG_LINE = java.util.regex.Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T.*");

  @BeforeAll
  static void freshLogs() {
    ItPaths.deleteTree(ItPaths.logDir(TEST));
  }

  @Test
  @DisplayName("a lone node on an empty folder announces its ports, reports UP and logs the bootstrap admin in")
  void loneNodeStarts() {
    ItPaths.deleteTree(ItPaths.nodeRoot(TEST).resolve("alone"));
    try (NodeProcess node = new NodeProcess("alone", ItPaths.nodeRoot(TEST).resolve("alone").resolve("keepconfig.d"),
        ItPaths.logDir(TEST), NodeProcess.singleNodeEnv(Cluster.ADMIN_PASSWORD)).start()) {
      Waits.within(30, "alone UP").until(() -> node.client().health().up());
      Health health = node.client().health();
      assertEquals(health.ephemeral(), health.signing(), "a node without keysets signs with its ephemeral key");

      String token = node.client().token(Cluster.ADMIN, Cluster.ADMIN_PASSWORD);
      assertEquals(200, node.client().userinfo(token).status());
      assertEquals(401, node.client().login(Cluster.ADMIN, "wrong").status());
      assertEquals(401, node.client().userinfo(token + "x").status());
    }
  }

  @Test
  @DisplayName("a lone node signs with an openssl keyset dropped into its folder, and keeps verifying its tokens after the files are deleted")
  void loneNodeUsesAndRetiresADroppedKeyset() {
    ItPaths.deleteTree(ItPaths.nodeRoot(TEST).resolve("lone-keys"));
    try (NodeProcess node = new NodeProcess("lone-keys",
        ItPaths.nodeRoot(TEST).resolve("lone-keys").resolve("keepconfig.d"), ItPaths.logDir(TEST),
        NodeProcess.singleNodeEnv(Cluster.ADMIN_PASSWORD)).start()) {
      OpensslKeyset keyset = OpensslKeyset.rsa(TEST, OpensslKeyset.nextName("Lone"));
      keyset.dropInto(node.configDir(), keyset.filesDescriptorFirst());
      ClusterWaits.awaitSigning(List.of(node), keyset.name(), Duration.ofSeconds(10));
      String token = node.client().token(Cluster.ADMIN, Cluster.ADMIN_PASSWORD);
      assertEquals(keyset.name(), NodeClient.kidOf(token));

      OpensslKeyset.deleteFrom(node.configDir(), keyset.name());
      Waits.within(10, "retired").untilAsserted(() -> {
        Health h = node.client().health();
        assertEquals(h.ephemeral(), h.signing(), h.toString());
        assertEquals(java.util.Optional.of("retiring"), h.keysetState(keyset.name()), h.toString());
      });
      assertEquals(200, node.client().userinfo(token).status(), "token of the retired keyset");
    }
  }

  @Test
  @DisplayName("a multi-node config without KEEP_CLUSTER_SECRET refuses to start with a one-line reason")
  void multiNodeWithoutSecretRefuses() {
    Map<String, String> env = new java.util.HashMap<>(NodeProcess.singleNodeEnv(Cluster.ADMIN_PASSWORD));
    int port = Cluster.freePort();
    env.put("KEEP_CLUSTER_NAME", "it-nosecret-" + ProcessHandle.current().pid());
    env.put("KEEP_CLUSTER_PORT", Integer.toString(port));
    env.put("KEEP_CLUSTER_INTERFACE", "127.0.0.1");
    env.put("KEEP_CLUSTER_MEMBERS", "127.0.0.1:" + port + ",127.0.0.1:" + Cluster.freePort());
    ItPaths.deleteTree(ItPaths.nodeRoot(TEST).resolve("unkeyed"));
    try (NodeProcess node = new NodeProcess("unkeyed",
        ItPaths.nodeRoot(TEST).resolve("unkeyed").resolve("keepconfig.d"), ItPaths.logDir(TEST), env).launch()) {
      int exit = node.awaitExit(Duration.ofSeconds(20));
      assertNotEquals(0, exit, "exit code; log " + node.logFile());
      List<String> reasons = node.stderrSinceLastStart().lines()
          .filter(l -> !l.isBlank() && !LOG_LINE.matcher(l).matches())
          .collect(Collectors.toList());
      assertEquals(1, reasons.size(), "stderr lines besides the log; log " + node.logFile() + ": " + reasons);
      assertTrue(reasons.get(0).toLowerCase(Locale.ROOT).contains("secret"), "reason: " + reasons.get(0));
      System.out.println("[it] refusal without secret: exit=" + exit + " reason=" + reasons.get(0));
    }
  }
}
