package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.NodeCli;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.OpensslKeyset;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@DisplayName("Scenario 1: a token from one node works on the others once a keyset exists")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenSharingIT extends ThreeNodeCluster {

  @Test
  @Order(1)
  @DisplayName("before any keyset, a token of node 1's ephemeral key works on node 1 and is refused on node 2")
  void ephemeralTokenStaysOnItsNode() {
    String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);
    assertEquals(cluster.node(1).client().health().ephemeral(), NodeClient.kidOf(token));
    assertEquals(200, cluster.node(1).client().userinfo(token).status());
    assertEquals(401, cluster.node(2).client().userinfo(token).status());
  }

  @Test
  @Order(2)
  @DisplayName("after a keyset is dropped, a login on node 1 gives a token that works on nodes 2 and 3")
  void keysetTokenWorksEverywhere() {
    OpensslKeyset keyset = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("Shared"));
    keyset.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), keyset.name(), Duration.ofSeconds(15));

    String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);
    assertEquals(keyset.name(), NodeClient.kidOf(token));
    for (int i = 1; i <= 3; i++) {
      NodeClient.Reply reply = cluster.node(i).client().userinfo(token);
      assertEquals(200, reply.status(), "userinfo on node" + i + ": " + reply.body());
    }
  }

  @Test
  @Order(3)
  @DisplayName("a keyset made by `idp create` in node 3's folder becomes the signer everywhere, and node 1's tokens work on node 3")
  void idpCreateKeysetSignsEverywhere() {
    String name = OpensslKeyset.nextName("Cli");
    NodeCli.Result created = NodeCli.idpCreate(cluster.node(3).configDir(), name, "EC");
    assertEquals(0, created.exitCode(), created.output());
    ClusterWaits.awaitSigning(cluster.nodes(), name, Duration.ofSeconds(15));
    String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);
    assertEquals(name, NodeClient.kidOf(token));
    assertEquals(200, cluster.node(3).client().userinfo(token).status());
  }

  @Test
  @Order(4)
  @DisplayName("the management API's /api/node answers node 2's health document behind Basic auth")
  void managementNodeDocument() {
    NodeClient.Reply reply = cluster.node(2).client().management("GET", "/api/node");
    assertEquals(200, reply.status(), reply.body());
    assertEquals("node2", reply.json().getString("node"));
    assertEquals(3, reply.json().getJsonObject("cluster").getJsonArray("members").size(), reply.body());
  }
}
