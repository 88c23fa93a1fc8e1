package io.keepcluster.node.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: FIFOs, links to devices, sparse giants and directories in keepconfig.d of a running
 * node are refused by name in /health; nothing hangs, logins and the management API keep answering.
 */
@DisplayName("hostile files in a running node's folder")
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileFilesTest {

  @TempDir Path dir;
  private KeysetTestNode node;

  @BeforeEach
  void startNodeSigningWithA() throws Exception {
    node = KeysetTestNode.start(dir);
    node.dropAndAwaitSigning("A");
  }

  @AfterEach
  void stopNode() throws Exception {
    node.close();
  }

  private Map<String, String> problems() throws Exception {
    Map<String, String> byFile = new HashMap<>();
    for (JsonObject p : node.problems()) {
      byFile.put(p.getString("file"), p.getString("error"));
    }
    return byFile;
  }

  @Test
  @DisplayName("a FIFO key, a /dev/zero key, a 1 GiB JSON and a directory named X.json are refused by name; the node serves on")
  void hostileFilesAreRefused() throws Exception {
    mkfifo(dir.resolve("Evil.private.key.pem"));
    Files.writeString(dir.resolve("Evil.json"), KeysetTestNode.drapiDescriptor("Evil", "RSA", false));
    Files.createSymbolicLink(dir.resolve("Zero.private.key.pem"), Path.of("/dev/zero"));
    Files.writeString(dir.resolve("Zero.json"), KeysetTestNode.drapiDescriptor("Zero", "RSA", false));
    try (RandomAccessFile huge = new RandomAccessFile(dir.resolve("Huge.json").toFile(), "rw")) {
      huge.setLength(1024L * 1024 * 1024);
    }
    Files.createDirectory(dir.resolve("Dir.json"));

    Map<String, String> expected = Map.of(
        "Evil.private.key.pem", "not a regular file (fifo)",
        "Zero.private.key.pem", "not a regular file (symbolic link to a character device)",
        "Huge.json", "file too large (1073741824 bytes, at most 1048576)",
        "Dir.json", "not a regular file (directory)");
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
      Map<String, String> now = problems();
      return expected.entrySet().stream().allMatch(e -> e.getValue().equals(now.get(e.getKey())));
    });
    for (JsonObject problem : node.problems()) {
      assertFalse(problem.getString("file").contains("/"), "file names only: " + problem);
      assertFalse(problem.getString("error").contains(dir.toString()), "no paths: " + problem);
    }
    // Huge.json and Dir.json would stop the next start (every *.json is an overlay): the node says
    // so as a config problem, DEGRADED and not ready, and goes on serving.
    assertEquals("config", node.problems().stream().filter(p -> "config".equals(p.getString("file")))
        .findFirst().orElseThrow().getString("kind"), node.problems().toString());
    assertEquals("DEGRADED", node.health().getString("status"), "a config the start would refuse");

    // Logins and the management API answer promptly; a keyset created now loads and signs.
    long started = System.nanoTime();
    assertEquals("A", KeysetTestNode.kidOf(node.bearer()));
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2), "login within 2 s");
    started = System.nanoTime();
    HttpResponse<String> created = node.createIdpCertificate(new JsonObject().put("name", "Fresh").put("algorithm", "EC"));
    long createMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertEquals(201, created.statusCode(), created.body());
    assertTrue(new JsonObject(created.body()).getBoolean("loaded"), created.body());
    assertTrue(createMillis < 5000, "idp create answered in " + createMillis + " ms");
    node.awaitSigning("Fresh");

    // Removing the hostile files clears every problem.
    for (String file : List.of("Evil.private.key.pem", "Evil.json", "Zero.private.key.pem", "Zero.json", "Huge.json")) {
      Files.delete(dir.resolve(file));
    }
    Files.delete(dir.resolve("Dir.json"));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> problems().isEmpty());
    assertEquals("UP", node.health().getString("status"));
  }

  private static void mkfifo(Path path) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    } catch (IOException e) {
      Assumptions.abort("mkfifo is not available");
      return;
    }
    assertTrue(process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0, "mkfifo");
  }
}
