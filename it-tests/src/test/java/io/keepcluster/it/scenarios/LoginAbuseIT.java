package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.Waits;
import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.password.PasswordHashingParameters;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Issue 8, logins: parallel guesses, a management brute force and a timing side channel, each
 * against three real node processes.
 */
@DisplayName("Issue 8: guessing passwords gets no further than the lockout and learns nothing from timing")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Runs alone: its timing test compares login latencies.
@Isolated
class LoginAbuseIT extends ThreeNodeCluster {

  private static final PasswordHasher HASHER = new PasswordHasher(PasswordHashingParameters.defaults());
  private static final String WRONG = "keepcluster_logins_total";

  @Test
  @Order(1)
  @DisplayName("30 parallel wrong guesses over three nodes get at most 5 password checks, then the user is locked everywhere")
  void parallelGuessesStopAtTheLimit() throws Exception {
    addUsers("racer", 1, "Racer-pass-1");
    awaitLogin("racer-0", "Racer-pass-1");
    double checkedBefore = sumCounter("outcome=\"wrong_password\"");

    ExecutorService pool = Executors.newFixedThreadPool(30);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        NodeClient node = cluster.node(i % 3 + 1).client();
        String guess = "guess-" + i;
        answers.add(pool.submit(() -> {
          start.await();
          return node.login("racer-0", guess).status();
        }));
      }
      start.countDown();
      for (Future<Integer> answer : answers) {
        assertEquals(401, answer.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    double checked = sumCounter("outcome=\"wrong_password\"") - checkedBefore;
    System.out.println("[it] issue 8 lockout race: 30 parallel guesses, password checks=" + checked);
    assertTrue(checked <= 5, "password checks beyond the limit of 5: " + checked);
    for (NodeProcess n : cluster.nodes()) {
      assertEquals(401, n.client().login("racer-0", "Racer-pass-1").status(), "the right password on " + n.id());
    }
  }

  @Test
  @Order(2)
  @DisplayName("unknown user and wrong password take the same time (Mann-Whitney U, 100 interleaved samples each)")
  void noTimingOracle() {
    // One known user per wrong-password sample, so no sample meets a suspended user.
    int samples = 100;
    addUsers("timed", samples, "Timed-pass-1");
    awaitLogin("timed-" + (samples - 1), "Timed-pass-1");
    NodeClient node = cluster.node(1).client();
    for (int i = 0; i < 5; i++) {
      node.login("warmup-" + i, "x");
    }
    double[] unknown = new double[samples];
    double[] wrong = new double[samples];
    for (int i = 0; i < samples; i++) {
      unknown[i] = timeLogin(node, "ghost-" + i + "-" + System.nanoTime());
      wrong[i] = timeLogin(node, "timed-" + i);
    }
    double z = MannWhitney.z(unknown, wrong);
    System.out.printf("[it] issue 8 timing: unknown median %.1f ms, wrong password median %.1f ms, Mann-Whitney z=%.2f (n=%d each)%n",
        median(unknown), median(wrong), z, samples);
    assertTrue(Math.abs(z) < 3.29, "a detectable difference (|z| >= 3.29, p < 0.001): unknown median "
        + median(unknown) + " ms vs wrong password " + median(wrong) + " ms, z=" + z);
  }

  @Test
  @Order(3)
  @DisplayName("30 wrong management passwords lock the management account on every node; the directory admin still logs in")
  void managementBruteForceIsLockedOut() {
    String password = NodeProcess.managementPassword(ADMIN_PASSWORD);
    assertEquals(200, cluster.node(1).client().management(ADMIN, password, "GET", "/api/node").status());
    for (int i = 0; i < 30; i++) {
      NodeClient node = cluster.node(i % 2 + 1).client();
      assertEquals(401, node.management(ADMIN, password + "-wrong-" + i, "GET", "/api/node").status());
    }
    for (NodeProcess n : cluster.nodes()) {
      assertEquals(401, n.client().management(ADMIN, password, "GET", "/api/node").status(),
          "the right management password on " + n.id() + " after the brute force");
    }
    for (NodeProcess n : cluster.nodes()) {
      assertEquals(200, n.client().login(ADMIN, ADMIN_PASSWORD).status(), "the directory admin on " + n.id());
    }
  }

  private void addUsers(String prefix, int count, String password) {
    UserDirectoryFile file = new UserDirectoryFile(cluster.node(1).configDir());
    String hash = HASHER.hash(password.toCharArray());
    for (int i = 0; i < count; i++) {
      file.upsert(new UserRecord(prefix + "-" + i, "CN=" + prefix + i + "/O=Acme", null, UserRecord.DEFAULT_SCOPES, hash));
    }
  }

  private void awaitLogin(String user, String password) {
    Waits.within(30, user + " can log in everywhere").untilAsserted(() -> {
      for (NodeProcess n : cluster.nodes()) {
        assertEquals(200, n.client().login(user, password).status(), n.id());
      }
    });
  }

  private double sumCounter(String label) {
    double sum = 0;
    for (NodeProcess n : cluster.nodes()) {
      sum += n.client().counter(WRONG, label);
    }
    return sum;
  }

  private static double timeLogin(NodeClient node, String user) {
    long started = System.nanoTime();
    int status = node.login(user, "not-the-password").status();
    double ms = (System.nanoTime() - started) / 1e6;
    assertEquals(401, status, user);
    return ms;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return (sorted[sorted.length / 2] + sorted[(sorted.length - 1) / 2]) / 2;
  }

  /** The two-sided Mann-Whitney U test's normal approximation, with tie correction omitted (times do not tie). */
  static final class MannWhitney {
    static double z(double[] a, double[] b) {
      int n1 = a.length;
      int n2 = b.length;
      double u = 0;
      for (double x : a) {
        for (double y : b) {
          u += x > y ? 1 : x == y ? 0.5 : 0;
        }
      }
      double mean = n1 * n2 / 2.0;
      double sd = Math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12.0);
      return (u - mean) / sd;
    }
  }
}
