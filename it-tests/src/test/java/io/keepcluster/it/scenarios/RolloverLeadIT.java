package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.Health;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.Waits;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Issue 9: one cluster issuer, and a new keyset published everywhere rolloverLeadSeconds before it signs")
class RolloverLeadIT extends ThreeNodeCluster {

  private static final int LEAD_SECONDS = 3;

  @Override
  protected Map<String, String> environment() {
    return Map.of("KEEP_ROLLOVER_LEAD_SECONDS", Integer.toString(LEAD_SECONDS));
  }

  @Test
  @DisplayName("a keyset dropped on node 1 with a 3 s lead is in every node's JWKS at once, signs only after the lead, and iss is the same before and after on all nodes")
  void publishedBeforeSigning() {
    OpensslKeyset old = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("Old"));
    old.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), old.name(), Duration.ofSeconds(15));
    List<String> before = tokensOfEveryNode(old.name());

    OpensslKeyset fresh = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("New"));
    fresh.dropInto(cluster.node(1).configDir());
    Waits.within(Duration.ofSeconds(2), fresh.name() + " in every JWKS").untilAsserted(() -> {
      for (NodeProcess node : cluster.nodes()) {
        assertTrue(node.client().jwks().body().contains("\"" + fresh.name() + "\""), node.id());
      }
    });

    Instant signingAt = null;
    for (NodeProcess node : cluster.nodes()) {
      Health health = node.client().health();
      assertEquals(Optional.of("published"), health.keysetState(fresh.name()), health.toString());
      assertEquals(old.name(), health.signing(), health.toString());
      Instant at = health.signingAt(fresh.name()).orElseThrow();
      assertTrue(signingAt == null || signingAt.equals(at), "one signingAt cluster-wide: " + health);
      signingAt = at;
    }
    List<String> during = tokensOfEveryNode(old.name());

    Map<String, Instant> switchedAt = new HashMap<>();
    Waits.within(Duration.ofSeconds(LEAD_SECONDS + 10), fresh.name() + " signing everywhere").pollInterval(
        Duration.ofMillis(50)).untilAsserted(() -> {
          for (NodeProcess node : cluster.nodes()) {
            if (!switchedAt.containsKey(node.id()) && fresh.name().equals(node.client().health().signing())) {
              switchedAt.put(node.id(), Instant.now());
            }
          }
          assertEquals(cluster.nodes().size(), switchedAt.size(), "switched so far: " + switchedAt);
        });
    for (Map.Entry<String, Instant> entry : switchedAt.entrySet()) {
      assertFalse(entry.getValue().isBefore(signingAt),
          entry.getKey() + " signed with " + fresh.name() + " at " + entry.getValue() + ", before " + signingAt);
    }
    System.out.println("[it] rollover lead " + LEAD_SECONDS + " s: signingAt=" + signingAt + " switched=" + switchedAt);

    List<String> after = tokensOfEveryNode(fresh.name());
    for (List<String> tokens : List.of(before, during, after)) {
      for (String token : tokens) {
        assertEquals(Cluster.PUBLIC_URL, NodeClient.issOf(token));
        for (NodeProcess node : cluster.nodes()) {
          NodeClient.Reply reply = node.client().userinfo(token);
          assertEquals(200, reply.status(), node.id() + ": " + reply.body());
        }
      }
    }
  }

  /** One token from each node, each asserted to be signed by {@code kid}. */
  private List<String> tokensOfEveryNode(String kid) {
    return cluster.nodes().stream().map(node -> {
      String token = node.client().token(ADMIN, ADMIN_PASSWORD);
      assertEquals(kid, NodeClient.kidOf(token), "token of " + node.id());
      return token;
    }).toList();
  }
}
