package io.keepcluster.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The env-name check the deploy tests rely on tells read names from made-up ones. */
@DisplayName("NodeFacts")
class NodeFactsTest {

  @Test
  @DisplayName("names the node reads are found by asking its code")
  void readNames() {
    for (String name : new String[] {"PORT", "HEALTHCHECKPORT", "MANAGMENTPORT", "MANAGEMENTPORT", "METRICSPORT",
        "BIND", "KEEP_PUBLIC_URL", "KEEP_CLUSTER_MEMBERS", "KEEP_CLUSTER_PORT", "KEEP_CLUSTER_NAME",
        "KEEP_NODE_ID", "KEEP_CLUSTER_SECRET", "KEEP_ADMIN_PASSWORD", "KEEP_MANAGEMENT_PASSWORD"}) {
      assertTrue(NodeFacts.nodeReads(name), name);
    }
  }

  @Test
  @DisplayName("a misspelt or made-up name is not known")
  void unknownNames() {
    for (String name : new String[] {"KEEP_CLUSTER_SECRETS", "MANAGEMENT_PORT", "KEEP_PUBLICURL", "HEALTH_PORT"}) {
      assertFalse(NodeFacts.known(name), name);
    }
  }
}
