package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.Health;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Scenario 8: one NAME, two key pairs")
class NameConflictIT extends ThreeNodeCluster {

  @Test
  @DisplayName("the same NAME with different keys dropped on nodes 1 and 2 at once: one wins everywhere, the other node reports the conflict, no operator file is overwritten")
  void oneMaterialWinsAndNothingIsOverwritten() throws Exception {
    String name = OpensslKeyset.nextName("Twin");
    OpensslKeyset onNode1 = OpensslKeyset.rsa(cluster.test(), name);
    OpensslKeyset onNode2 = OpensslKeyset.rsa(cluster.test(), name);
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<Void> drop1 = CompletableFuture.runAsync(() -> {
      awaitLatch(go);
      onNode1.dropInto(cluster.node(1).configDir());
    });
    CompletableFuture<Void> drop2 = CompletableFuture.runAsync(() -> {
      awaitLatch(go);
      onNode2.dropInto(cluster.node(2).configDir());
    });
    go.countDown();
    CompletableFuture.allOf(drop1, drop2).get();

    ClusterWaits.awaitSigning(cluster.nodes(), name, Duration.ofSeconds(15));
    // Every node publishes the same public key for the NAME.
    Waits.within(10, "one key for " + name + " everywhere").untilAsserted(() -> {
      List<JsonObject> keys = new ArrayList<>();
      for (NodeProcess n : cluster.nodes()) {
        keys.add(jwk(n, name));
      }
      assertEquals(keys.get(0).getString("n"), keys.get(1).getString("n"), "node1 vs node2 modulus");
      assertEquals(keys.get(0).getString("n"), keys.get(2).getString("n"), "node1 vs node3 modulus");
    });
    // A token signed with the NAME on any node verifies on all.
    for (NodeProcess signer : cluster.nodes()) {
      String token = signer.client().token(ADMIN, ADMIN_PASSWORD);
      assertEquals(name, NodeClient.kidOf(token));
      for (NodeProcess verifier : cluster.nodes()) {
        NodeClient.Reply r = verifier.client().userinfo(token);
        assertEquals(200, r.status(), "token of " + signer.id() + " on " + verifier.id() + ": " + r.body());
      }
    }
    // The loser says so.
    Waits.within(10, "conflict reported").untilAsserted(() -> {
      Health h1 = cluster.node(1).client().health();
      Health h2 = cluster.node(2).client().health();
      assertTrue(h1.hasProblemMentioning(name) ^ h2.hasProblemMentioning(name),
          "exactly one of node1/node2 reports a problem with " + name + ": " + h1 + " / " + h2);
    });
    Health h1 = cluster.node(1).client().health();
    System.out.println("[it] scenario 8 conflict: node1 problems=" + h1.problems()
        + " node2 problems=" + cluster.node(2).client().health().problems());
    // The operator's files are untouched on both nodes.
    assertSameFiles(onNode1, cluster.node(1).configDir());
    assertSameFiles(onNode2, cluster.node(2).configDir());
  }

  private static JsonObject jwk(NodeProcess node, String kid) {
    JsonArray keys = node.client().jwks().json().getJsonArray("keys");
    for (int i = 0; i < keys.size(); i++) {
      if (kid.equals(keys.getJsonObject(i).getString("kid"))) {
        return keys.getJsonObject(i);
      }
    }
    throw new AssertionError(node.id() + " publishes no key " + kid + ": " + keys);
  }

  private static void assertSameFiles(OpensslKeyset original, Path configDir) throws Exception {
    for (Path file : original.files()) {
      assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(configDir.resolve(file.getFileName())),
          file.getFileName() + " in " + configDir + " was changed");
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
