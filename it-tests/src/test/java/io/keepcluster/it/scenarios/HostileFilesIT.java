package io.keepcluster.it.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.Health;
import io.keepcluster.it.harness.ItPaths;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeLogsOnFailure;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.Waits;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 8 against a real node process: a FIFO key, a key linked to /dev/zero and a sparse 1 GiB
 * JSON dropped into its live keepconfig.d are refused by name in /health, while logins, the
 * management API and the folder scanner (a keyset dropped afterwards signs) keep working.
 */
@DisplayName("Hostile files in keepconfig.d")
@ExtendWith(NodeLogsOnFailure.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileFilesIT {

  private static final String TEST = "HostileFilesIT";
  private static final long ONE_GIB = 1024L * 1024 * 1024;
  private static final Map<String, String> EXPECTED = Map.of(
      "Evil.private.key.pem", "not a regular file (fifo)",
      "Zero.private.key.pem", "not a regular file (symbolic link to a character device)",
      "Huge.json", "file too large (1073741824 bytes, at most 1048576)");
  private static final List<String> HOSTILE = List.of("Evil.json", "Evil.private.key.pem",
      "Zero.json", "Zero.private.key.pem", "Huge.json");

  private static NodeProcess node;

  @BeforeAll
  static void startNode() {
    ItPaths.deleteTree(ItPaths.logDir(TEST));
    ItPaths.deleteTree(ItPaths.nodeRoot(TEST));
    node = new NodeProcess("hostile", ItPaths.nodeRoot(TEST).resolve("hostile").resolve("keepconfig.d"),
        ItPaths.logDir(TEST), env()).start();
    Waits.within(30, "node UP").until(() -> node.client().health().up());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  @DisplayName("a FIFO key, a /dev/zero key and a 1 GiB JSON are refused by name; logins, idp create and the scanner keep working; removing them clears the problems")
  void hostileFilesNeverHangKillOrFoolTheNode() throws Exception {
    NodeClient client = node.client();
    Path dir = node.configDir();
    long baselineMillis = loginMillis(client, 5).get(2);

    mkfifo(dir.resolve("Evil.private.key.pem"));
    Files.writeString(dir.resolve("Evil.json"), OpensslKeyset.descriptor("Evil", "RSA"));
    Files.createSymbolicLink(dir.resolve("Zero.private.key.pem"), Path.of("/dev/zero"));
    Files.writeString(dir.resolve("Zero.json"), OpensslKeyset.descriptor("Zero", "RSA"));
    try (RandomAccessFile huge = new RandomAccessFile(dir.resolve("Huge.json").toFile(), "rw")) {
      huge.setLength(ONE_GIB); // sparse: costs no disk
    }

    Waits.within(15, "each hostile file named in /health with its reason").untilAsserted(() -> {
      Map<String, String> problems = problemsByFile(client.health());
      EXPECTED.forEach((file, reason) -> assertEquals(reason, problems.get(file), problems.toString()));
    });
    Health health = client.health();
    for (JsonObject problem : health.problems()) {
      String file = problem.getString("file");
      assertFalse(file.contains("/"), "file names only: " + problem);
      assertFalse(problem.getString("error").contains(dir.toString()), "no absolute paths: " + problem);
    }
    assertTrue(health.problems().stream().noneMatch(p -> "keyset_scanner".equals(p.getString("kind"))),
        "the scanner is healthy: " + health);
    // Huge.json would stop the next start (every *.json is an overlay): a config problem, which
    // makes the node DEGRADED and not ready while it goes on serving.
    assertTrue(health.problems().stream().anyMatch(p -> "config".equals(p.getString("kind"))), health.toString());
    assertEquals("DEGRADED", health.json().getString("status"), health.toString());

    // Logins keep their normal latency while the files sit in the folder.
    List<Long> during = loginMillis(client, 20);
    long p50 = during.get(during.size() / 2);
    long max = during.get(during.size() - 1);
    System.out.printf("[it] hostile files: login latency baseline=%d ms during p50=%d ms max=%d ms%n",
        baselineMillis, p50, max);
    assertTrue(max < 2000, "logins under 2 s during the attack, max " + max + " ms");

    // The management create endpoint answers promptly and its keyset loads.
    long started = System.nanoTime();
    NodeClient.Reply created = client.createIdpCertificate("Console", "EC");
    long createMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.printf("[it] hostile files: POST /api/idp-certificates answered %d in %d ms%n",
        created.status(), createMillis);
    assertEquals(201, created.status(), created.body());
    assertTrue(createMillis < 5000, "idp create answered in " + createMillis + " ms");

    // The scanner is alive: a keyset dropped after the hostile files becomes the signer.
    OpensslKeyset good = OpensslKeyset.rsa(TEST, OpensslKeyset.nextName("After"));
    good.dropInto(dir);
    ClusterWaits.awaitSigning(List.of(node), good.name(), Duration.ofSeconds(10));
    assertEquals(good.name(), NodeClient.kidOf(client.token(Cluster.ADMIN, Cluster.ADMIN_PASSWORD)));

    for (String file : HOSTILE) {
      Files.delete(dir.resolve(file));
    }
    Waits.within(15, "problems cleared").untilAsserted(() -> {
      Health h = client.health();
      assertTrue(h.problems().isEmpty(), h.toString());
      assertTrue(h.up(), h.toString());
    });
  }

  /** A single node with a public URL, so the only problems it reports are the hostile files. */
  private static Map<String, String> env() {
    Map<String, String> env = NodeProcess.singleNodeEnv(Cluster.ADMIN_PASSWORD);
    env.put("KEEP_PUBLIC_URL", Cluster.PUBLIC_URL);
    return env;
  }

  private static Map<String, String> problemsByFile(Health health) {
    Map<String, String> byFile = new HashMap<>();
    health.problems().forEach(p -> byFile.put(p.getString("file"), p.getString("error")));
    return byFile;
  }

  /** The latencies of {@code count} admin logins, sorted. */
  private static List<Long> loginMillis(NodeClient client, int count) {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long started = System.nanoTime();
      client.token(Cluster.ADMIN, Cluster.ADMIN_PASSWORD);
      millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
    Collections.sort(millis);
    return millis;
  }

  private static void mkfifo(Path path) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0, "mkfifo " + path);
  }
}
