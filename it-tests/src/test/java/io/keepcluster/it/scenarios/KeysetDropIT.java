package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.Health;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

@DisplayName("Scenarios 2 and 9: dropping a keyset on one node, then retiring it on another")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Runs alone: it times drops against the 1 s contract.
@Isolated
class KeysetDropIT extends ThreeNodeCluster {

  private OpensslKeyset older;
  private OpensslKeyset dropped;
  private String retiredToken;

  @Test
  @Order(1)
  @DisplayName("an openssl keyset copied file by file onto node 2 becomes the signer on all three nodes, and every node keeps the four files (private key 0600)")
  void dropOnNode2SignsEverywhere() throws IOException {
    older = OpensslKeyset.ec(cluster.test(), OpensslKeyset.nextName("Older"));
    dropped = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("Drop2"));
    older.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), older.name(), Duration.ofSeconds(15));

    dropped.dropInto(cluster.node(2).configDir(), dropped.filesDescriptorFirst());
    ClusterWaits.awaitSigning(cluster.nodes(), dropped.name(), Duration.ofSeconds(15));

    for (NodeProcess node : cluster.nodes()) {
      for (String file : OpensslKeyset.fileNames(dropped.name())) {
        Path path = node.configDir().resolve(file);
        Waits.within(5, path + " persisted").until(() -> Files.isRegularFile(path));
      }
      Path privateKey = node.configDir().resolve(dropped.name() + ".private.key.pem");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)),
          "mode of " + privateKey);
      Health health = node.client().health();
      assertEquals(Optional.of("signing"), health.keysetState(dropped.name()), health.toString());
    }
    // Nodes 1 and 3 received the keyset through the grid: its replication lag is in their metrics.
    for (NodeProcess node : java.util.List.of(cluster.node(1), cluster.node(3))) {
      String metrics = node.client().metrics().body();
      double count = metrics.lines().filter(l -> l.startsWith("keepcluster_keyset_replication_lag_seconds_count "))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
      assertTrue(count >= 1, metrics);
      assertTrue(metrics.contains("keepcluster_keyset_replication_lag_seconds_bucket{le=\"+Inf\"}"), metrics);
    }
  }

  @Test
  @Order(2)
  @DisplayName("deleting the keyset's files on node 3 retires it everywhere: no node signs with it, its tokens keep verifying")
  void retireByDeletingOnNode3() {
    String oldToken = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);
    assertEquals(dropped.name(), NodeClient.kidOf(oldToken));

    OpensslKeyset.deleteFrom(cluster.node(3).configDir(), dropped.name());

    Waits.within(15, dropped.name() + " retiring everywhere").untilAsserted(() -> {
      for (NodeProcess node : cluster.nodes()) {
        Health h = node.client().health();
        assertNotEquals(dropped.name(), h.signing(), h.toString());
        assertEquals(Optional.of("retiring"), h.keysetState(dropped.name()), h.toString());
      }
    });
    ClusterWaits.awaitSigning(cluster.nodes(), older.name(), Duration.ofSeconds(5));
    for (NodeProcess node : cluster.nodes()) {
      String fresh = node.client().token(ADMIN, ADMIN_PASSWORD);
      assertNotEquals(dropped.name(), NodeClient.kidOf(fresh), "new token of " + node.id());
      NodeClient.Reply reply = node.client().userinfo(oldToken);
      assertEquals(200, reply.status(), "old token on " + node.id() + ": " + reply.body());
      assertTrue(node.client().health().verifying().contains(dropped.name()));
    }
    retiredToken = oldToken;
  }

  @Test
  @Order(3)
  @DisplayName("revoking the retired keyset through node 2's management API removes it from every node at once")
  void revokeRemovesEverywhere() {
    assertTrue(retiredToken != null, "needs the retired keyset of the previous test");
    NodeClient.Reply revoke = cluster.node(2).client().revoke(dropped.name());
    assertTrue(revoke.status() / 100 == 2, "revoke answered " + revoke.status() + ": " + revoke.body());
    Waits.within(Duration.ofSeconds(1), dropped.name() + " gone everywhere").untilAsserted(() -> {
      for (NodeProcess node : cluster.nodes()) {
        Health h = node.client().health();
        assertTrue(!h.verifying().contains(dropped.name()), h.toString());
        assertEquals(401, node.client().userinfo(retiredToken).status(), "revoked token on " + node.id());
      }
    });
  }

  @Test
  @Order(4)
  @DisplayName("files deleted on node 3 right after node 3 wrote its replicated copy still retire the keyset everywhere")
  void deleteRightAfterReplicationStillRetires() {
    OpensslKeyset quick = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("Quick"));
    NodeProcess node3 = cluster.node(3);
    quick.dropInto(cluster.node(1).configDir());
    Awaitility.await("replicated copy on node3").atMost(Duration.ofSeconds(15))
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
        .until(() -> OpensslKeyset.fileNames(quick.name()).stream()
            .allMatch(f -> Files.isRegularFile(node3.configDir().resolve(f))));
    OpensslKeyset.deleteFrom(node3.configDir(), quick.name());

    Waits.within(15, quick.name() + " retiring everywhere").untilAsserted(() -> {
      for (NodeProcess node : cluster.nodes()) {
        Health h = node.client().health();
        assertEquals(Optional.of("retiring"), h.keysetState(quick.name()), h.toString());
      }
    });
  }
}
