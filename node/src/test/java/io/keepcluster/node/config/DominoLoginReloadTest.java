package io.keepcluster.node.config;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code disableDominoLogin} is applied by a running node without a restart, both ways. */
class DominoLoginReloadTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("an overlay setting disableDominoLogin turns login off on the running node, and removing it turns it on")
  void hotReload() throws Exception {
    try (TestNode node = TestNode.in(dir).alice().start()) {
      assertTrue(node.login("alice", "alice-pw").statusCode() == 200);

      Files.writeString(dir.resolve("50-login.json"), "{\"disableDominoLogin\": true}");
      await().atMost(Duration.ofSeconds(10)).until(() -> node.login("alice", "alice-pw").statusCode() == 403);

      Files.delete(dir.resolve("50-login.json"));
      await().atMost(Duration.ofSeconds(10)).until(() -> node.login("alice", "alice-pw").statusCode() == 200);
    }
  }
}
