package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

@DisplayName("Scenario 3: rotating keys under load")
// Runs alone: it rotates keys under a request load that must see no failure.
@Isolated
class RotationUnderLoadIT extends ThreeNodeCluster {

  private static final int THREADS = 4;
  private static final Duration LOAD = Duration.ofSeconds(10);

  @Test
  @DisplayName("4 threads log in on random nodes and call userinfo on the others while a new keyset is dropped: not one answer is other than 200")
  void rotationFailsNoRequest() throws Exception {
    OpensslKeyset first = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("RotA"));
    first.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), first.name(), Duration.ofSeconds(15));
    OpensslKeyset next = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("RotB"));

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong requests = new AtomicLong();
    AtomicLong loginsWithNext = new AtomicLong();
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> workers = new java.util.ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        workers.add(pool.submit(() -> load(running, requests, loginsWithNext, failures, next.name())));
      }
      long start = System.nanoTime();
      // A third of the way in, the new keyset arrives on node 3.
      Waits.within(LOAD, "load warm-up").until(() -> System.nanoTime() - start > LOAD.toNanos() / 3);
      next.dropInto(cluster.node(3).configDir());
      ClusterWaits.awaitSigning(cluster.nodes(), next.name(), Duration.ofSeconds(15));
      Waits.within(LOAD.plusSeconds(15), "load period").until(() -> System.nanoTime() - start > LOAD.toNanos());
      running.set(false);
      for (Future<?> w : workers) {
        w.get(30, TimeUnit.SECONDS);
      }
    } finally {
      running.set(false);
      pool.shutdownNow();
    }
    System.out.println("[it] scenario 3 rotation under load: requests=" + requests.get()
        + " failures=" + failures.size() + " loginsSignedByNewKeyset=" + loginsWithNext.get());
    assertTrue(failures.isEmpty(), failures.size() + " failed requests, first: "
        + failures.stream().limit(5).toList() + cluster.logPaths());
    assertTrue(loginsWithNext.get() > 0, "no login was signed with " + next.name() + " during the load");
    assertEquals(0, failures.size());
  }

  private void load(AtomicBoolean running, AtomicLong requests, AtomicLong loginsWithNext,
      Queue<String> failures, String nextKid) {
    List<NodeProcess> nodes = cluster.nodes();
    while (running.get()) {
      NodeProcess loginNode = nodes.get(ThreadLocalRandom.current().nextInt(nodes.size()));
      try {
        NodeClient.Reply login = loginNode.client().login(ADMIN, ADMIN_PASSWORD);
        requests.incrementAndGet();
        if (login.status() != 200) {
          failures.add("login on " + loginNode.id() + " -> " + login.status() + " " + login.body());
          continue;
        }
        String token = login.json().getString("bearer");
        if (nextKid.equals(NodeClient.kidOf(token))) {
          loginsWithNext.incrementAndGet();
        }
        for (NodeProcess other : cluster.others(loginNode)) {
          NodeClient.Reply info = other.client().userinfo(token);
          requests.incrementAndGet();
          if (info.status() != 200) {
            failures.add("userinfo on " + other.id() + " with token of " + loginNode.id() + " (kid "
                + NodeClient.kidOf(token) + ") -> " + info.status() + " " + info.body());
          }
        }
      } catch (RuntimeException e) {
        failures.add(loginNode.id() + ": " + e);
      }
    }
  }
}
