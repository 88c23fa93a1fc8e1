package io.keepcluster.it.harness;

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
    cluster = Cluster.startFormed(getClass().getSimpleName(), 3, environment());
    whenFormed();
  }

  /** Set on top of every node's environment (for example a rollover lead); none by default. */
  protected Map<String, String> environment() {
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
