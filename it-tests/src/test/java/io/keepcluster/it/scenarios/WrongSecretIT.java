package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.Health;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Scenario 6: a member with the wrong secret")
class WrongSecretIT extends ThreeNodeCluster {

  @Test
  @DisplayName("a node with the wrong secret gets no replicated key, changes nothing on the others and says why in /health")
  void wrongSecretAppliesNothingAndSaysSo() throws IOException {
    OpensslKeyset shared = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("Shared"));
    shared.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), shared.name(), Duration.ofSeconds(15));
    Map<String, Set<String>> filesBefore = new HashMap<>();
    for (NodeProcess n : cluster.nodes()) {
      filesBefore.put(n.id(), fileNames(n.configDir()));
    }

    // The intruder brings a keyset of its own, newer than the cluster's: if it leaked, it would become the signer.
    Map<String, String> wrong = Map.of("KEEP_CLUSTER_SECRET", "not-" + cluster.secret(), "KEEP_NODE_ID", "intruder");
    NodeProcess intruder = cluster.extraNode("intruder", wrong);
    OpensslKeyset own = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("Intruder"));
    Files.createDirectories(intruder.configDir());
    own.dropInto(intruder.configDir());
    intruder.start();

    Waits.within(60, "intruder reports the secret problem").untilAsserted(() -> {
      Health h = intruder.client().health();
      if (!h.hasProblemMentioning("secret")) {
        throw new AssertionError("no problem mentions the secret: " + h);
      }
    });
    Health intruderHealth = intruder.client().health();
    System.out.println("[it] scenario 6 intruder problems: " + intruderHealth.problems());
    assertFalse(intruderHealth.verifying().contains(shared.name()), intruderHealth.toString());

    String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);
    assertEquals(401, intruder.client().userinfo(token).status(), "node 1's token on the intruder");

    // Nothing changes on the others, and it stays so for a few seconds.
    Waits.within(Duration.ofSeconds(10), "others unchanged").during(Duration.ofSeconds(3)).untilAsserted(() -> {
      for (NodeProcess n : cluster.nodes()) {
        Health h = n.client().health();
        assertEquals(shared.name(), h.signing(), h.toString());
        assertFalse(h.verifying().contains(own.name()), h.toString());
        assertEquals(filesBefore.get(n.id()), fileNames(n.configDir()), "files of " + n.id());
      }
    });
    for (NodeProcess n : cluster.nodes()) {
      assertEquals(200, n.client().userinfo(token).status(), "node 1's token on " + n.id());
    }
  }

  private static Set<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      Set<String> names = new TreeSet<>();
      files.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
      return names;
    }
  }

}
