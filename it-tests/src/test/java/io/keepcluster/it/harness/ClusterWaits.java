package io.keepcluster.it.harness;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Awaitility waits on what several nodes report in {@code /health}. */
public final class ClusterWaits {

  private ClusterWaits() {}

  public static void awaitVerifying(List<NodeProcess> nodes, String kid, Duration atMost) {
    Waits.within(atMost, kid + " verifying on " + nodes).untilAsserted(() -> {
      for (NodeProcess n : nodes) {
        Health h = n.client().health();
        if (!h.verifying().contains(kid)) {
          throw new AssertionError(n.id() + " does not verify " + kid + ": " + h);
        }
      }
    });
  }

  public static void awaitSigning(List<NodeProcess> nodes, String kid, Duration atMost) {
    Waits.within(atMost, kid + " signing on " + nodes).untilAsserted(() -> {
      for (NodeProcess n : nodes) {
        Health h = n.client().health();
        if (!Objects.equals(kid, h.signing())) {
          throw new AssertionError(n.id() + " signs with " + h.signing() + ", not " + kid + ": " + h);
        }
      }
    });
  }

  public static void awaitMembers(List<NodeProcess> nodes, int count, Duration atMost) {
    Waits.within(atMost, count + " members on " + nodes).untilAsserted(() -> {
      for (NodeProcess n : nodes) {
        Health h = n.client().health();
        if (h.members().size() != count) {
          throw new AssertionError(n.id() + " reports " + h.members() + ": " + h);
        }
      }
    });
  }
}
