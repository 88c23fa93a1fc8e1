package io.keepcluster.it.harness;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the scenario classes that share one formed three-node cluster: started once per class,
 * every process killed afterwards, and the node logs printed when anything fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NodeLogsOnFailure.class)
public abstract class ThreeNodeCluster {

  protected Cluster cluster;

  @BeforeAll
  public final void startCluster() throws Exception {
    Map<String, Map<String, String>> perNode = new HashMap<>();
    for (int i = 1; i <= 3; i++) {
      perNode.put("node" + i, nodeEnvironment("node" + i));
    }
    cluster = Cluster.startFormed(getClass().getSimpleName(), 3, environment(), perNode);
    whenFormed();
  }

  /** Set on top of every node's environment (for example a rollover lead); none by default. */
  protected Map<String, String> environment() {
    return Map.of();
  }

  /**
   * Set on top of {@link #environment()} for one node ({@code node1}, {@code node2}, {@code node3}),
   * for example a {@code PORT} picked up front; none by default.
   */
  protected Map<String, String> nodeEnvironment(String nodeId) {
    return Map.of();
  }

  /** Runs once the three nodes see each other; for keysets every test of the class needs. */
  protected void whenFormed() throws Exception {
  }

  @AfterAll
  public final void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
