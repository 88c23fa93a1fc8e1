package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

@DisplayName("Scenario 10: a partition heals with every keyset of both sides")
// Runs alone: it relies on Hazelcast heartbeat timing.
@Isolated
class PartitionIT extends ThreeNodeCluster {

  @Test
  @DisplayName("keyset X dropped on node 1 while node 3 is frozen and keyset Y dropped on node 3 after it wakes are both on all three nodes after the heal")
  void partitionHealsWithBothSidesKeysets() {
    NodeProcess node3 = cluster.node(3);
    List<NodeProcess> majority = List.of(cluster.node(1), cluster.node(2));
    OpensslKeyset x = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("SideX"));
    OpensslKeyset y = OpensslKeyset.ec(cluster.test(), OpensslKeyset.nextName("SideY"));

    long frozenAt = System.nanoTime();
    node3.suspend();
    ClusterWaits.awaitMembers(majority, 2, Duration.ofSeconds(60));
    System.out.println("[it] scenario 10 nodes 1-2 saw node3 leave after "
        + Duration.ofNanos(System.nanoTime() - frozenAt).toMillis() + " ms");
    x.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitVerifying(majority, x.name(), Duration.ofSeconds(15));

    node3.resume();
    y.dropInto(node3.configDir());
    long healStart = System.nanoTime();
    ClusterWaits.awaitVerifying(cluster.nodes(), x.name(), Duration.ofSeconds(60));
    ClusterWaits.awaitVerifying(cluster.nodes(), y.name(), Duration.ofSeconds(60));
    System.out.println("[it] scenario 10 both keysets everywhere " + Duration.ofNanos(System.nanoTime() - healStart).toMillis()
        + " ms after SIGCONT");
    ClusterWaits.awaitMembers(cluster.nodes(), 3, Duration.ofSeconds(60));

    String token = node3.client().token(ADMIN, ADMIN_PASSWORD);
    for (NodeProcess n : cluster.nodes()) {
      assertEquals(200, n.client().userinfo(token).status(), "node3's token on " + n.id());
    }
  }
}
