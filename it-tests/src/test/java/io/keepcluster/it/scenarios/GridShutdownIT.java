package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.Health;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.RogueMember;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.Waits;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, the attack that takes the whole grid down: a rogue member (cluster name, no secret)
 * calls {@code getCluster().shutdown()}, which stops every embedded Hazelcast member. It has its
 * own cluster so the other attacks never run on a grid that was shut down.
 */
@DisplayName("Issue 7: a rogue member shuts the whole grid down")
class GridShutdownIT extends ThreeNodeCluster {

  private static final Duration RECOVERY = Duration.ofSeconds(60);

  private OpensslKeyset keyset;

  @Override
  protected void whenFormed() {
    keyset = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("Survivor"));
    keyset.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), keyset.name(), Duration.ofSeconds(15));
  }

  @Test
  @DisplayName("after a rogue member shuts the cluster down, every node says not ready, rejoins by itself within 60 s and serves with the same keyset")
  void nodesRejoinAfterClusterShutdown() {
    Map<String, AtomicInteger> notReady = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> unreachable = new ConcurrentHashMap<>();
    ScheduledExecutorService poller = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "it-ready-poller");
      t.setDaemon(true);
      return t;
    });
    RogueMember rogue = RogueMember.join(cluster);
    long start = System.nanoTime();
    try {
      System.out.println("[it] rogue " + rogue.address() + " sees " + rogue.membersSeen() + " members");
      for (NodeProcess n : cluster.nodes()) {
        notReady.put(n.id(), new AtomicInteger());
        unreachable.put(n.id(), new AtomicInteger());
      }
      // Bounded: every 50 ms for at most 60 s (and stopped in finally).
      poller.scheduleAtFixedRate(() -> pollReady(notReady, unreachable), 0, 50, TimeUnit.MILLISECONDS);
      poller.schedule(poller::shutdownNow, 60, TimeUnit.SECONDS);

      Waits.within(30, "rogue shuts the cluster down").until(() -> {
        if (rogue.instance().getLifecycleService().isRunning()) {
          rogue.instance().getCluster().shutdown();
        }
        return true;
      });
      System.out.println("[it] attack cluster-shutdown: the rogue's shutdown() returned after "
          + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");

      String attack = " after a rogue member shut the cluster down";
      Waits.within(RECOVERY, "every node ready again with 3 members").untilAsserted(() -> {
        for (NodeProcess n : cluster.nodes()) {
          assertEquals(200, n.client().ready().status(), "/health/ready of " + n.id() + attack);
          Health h = n.client().health();
          assertEquals(3, h.members().size(), "members of " + n.id() + attack + ": " + h);
          OptionalLong rejoins = h.rejoins();
          assertTrue(rejoins.isPresent() && rejoins.getAsLong() >= 1,
              n.id() + " reports cluster.rejoins " + rejoins + attack + ": " + h);
          assertEquals(keyset.name(), h.signing(), n.id() + " does not sign with " + keyset.name() + attack + ": " + h);
          NodeClient.Reply login = n.client().login(ADMIN, ADMIN_PASSWORD);
          assertEquals(200, login.status(), "login on " + n.id() + attack + ": " + login.body());
        }
        String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);
        NodeClient.Reply info = cluster.node(3).client().userinfo(token);
        assertEquals(200, info.status(), "node1's token on node3" + attack + ": " + info.body());
      });
      System.out.println("[it] attack cluster-shutdown: every node recovered after "
          + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
    } finally {
      poller.shutdownNow();
      Map<String, String> finding = new TreeMap<>();
      notReady.forEach((node, count) -> finding.put(node, "/health/ready 503 x" + count.get()
          + ", unreachable x" + unreachable.get(node).get()));
      System.out.println("[it] attack cluster-shutdown: poller (50 ms) saw " + finding);
      for (NodeProcess n : cluster.nodes()) {
        System.out.println("[it] attack cluster-shutdown: " + safeHealth(n));
      }
      rogue.close();
    }
  }

  private void pollReady(Map<String, AtomicInteger> notReady, Map<String, AtomicInteger> unreachable) {
    for (NodeProcess n : cluster.nodes()) {
      try {
        if (n.client().ready().status() == 503) {
          notReady.get(n.id()).incrementAndGet();
        }
      } catch (RuntimeException e) {
        unreachable.get(n.id()).incrementAndGet();
      }
    }
  }

  private static String safeHealth(NodeProcess node) {
    try {
      return node.client().health().toString();
    } catch (RuntimeException | AssertionError e) {
      return node.id() + " (no /health: " + e.getMessage() + ")";
    }
  }
}
