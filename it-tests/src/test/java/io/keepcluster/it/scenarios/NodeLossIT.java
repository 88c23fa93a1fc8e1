package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.Waits;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

@DisplayName("Scenarios 4 and 5: losing a node, and stopping the whole cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Runs alone: it relies on Hazelcast heartbeat timing.
@Isolated
class NodeLossIT extends ThreeNodeCluster {

  private OpensslKeyset older;
  private OpensslKeyset newer;

  @Override
  protected void whenFormed() {
    older = OpensslKeyset.ec(cluster.test(), OpensslKeyset.nextName("LossA"));
    newer = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("LossB"));
    older.dropInto(cluster.node(2).configDir());
    ClusterWaits.awaitVerifying(cluster.nodes(), older.name(), Duration.ofSeconds(15));
    newer.dropInto(cluster.node(3).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), newer.name(), Duration.ofSeconds(15));
  }

  @Test
  @Order(1)
  @DisplayName("after kill -9 of node 1, nodes 2 and 3 keep logging in and accepting each other's tokens")
  void survivorsKeepServing() {
    cluster.node(1).kill9();
    List<NodeProcess> survivors = List.of(cluster.node(2), cluster.node(3));
    String token2 = cluster.node(2).client().token(ADMIN, ADMIN_PASSWORD);
    assertEquals(200, cluster.node(3).client().userinfo(token2).status());
    String token3 = cluster.node(3).client().token(ADMIN, ADMIN_PASSWORD);
    assertEquals(200, cluster.node(2).client().userinfo(token3).status());
    ClusterWaits.awaitMembers(survivors, 2, Duration.ofSeconds(60));
    String later = cluster.node(3).client().token(ADMIN, ADMIN_PASSWORD);
    assertEquals(200, cluster.node(2).client().userinfo(later).status());
  }

  @Test
  @Order(2)
  @DisplayName("node 1 restarted on an EMPTY folder gets every keyset back as files and accepts node 2's tokens")
  void restartOnEmptyFolderRecoversKeysets() {
    NodeProcess node1 = cluster.node(1);
    node1.restart(true);
    cluster.awaitFormed();
    ClusterWaits.awaitSigning(cluster.nodes(), newer.name(), Duration.ofSeconds(15));
    ClusterWaits.awaitVerifying(List.of(node1), older.name(), Duration.ofSeconds(5));
    for (OpensslKeyset k : List.of(older, newer)) {
      for (String file : OpensslKeyset.fileNames(k.name())) {
        Waits.within(5, file + " on node1").until(() -> Files.isRegularFile(node1.configDir().resolve(file)));
      }
    }
    String token2 = cluster.node(2).client().token(ADMIN, ADMIN_PASSWORD);
    NodeClient.Reply reply = node1.client().userinfo(token2);
    assertEquals(200, reply.status(), reply.body());
  }

  @Test
  @Order(3)
  @DisplayName("after the whole cluster is stopped and started on the same folders, the signer is the same and old tokens still work")
  void fullRestartKeepsKeys() {
    String signerBefore = cluster.node(1).client().health().signing();
    assertEquals(newer.name(), signerBefore);
    String oldToken = cluster.node(2).client().token(ADMIN, ADMIN_PASSWORD);

    cluster.stopAll();
    Duration formed = cluster.startAll();
    System.out.println("[it] scenario 5 cluster re-formed after full stop in " + formed.toMillis() + " ms");

    ClusterWaits.awaitSigning(cluster.nodes(), signerBefore, Duration.ofSeconds(15));
    for (NodeProcess node : cluster.nodes()) {
      NodeClient.Reply reply = node.client().userinfo(oldToken);
      assertEquals(200, reply.status(), node.id() + ": " + reply.body());
    }
  }
}
