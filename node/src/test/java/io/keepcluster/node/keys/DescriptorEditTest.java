package io.keepcluster.node.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("editing the signing keyset's descriptor in place")
class DescriptorEditTest {

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

  @Test
  @DisplayName("a half-written (invalid JSON) A.json is reported but does not retire A: A keeps signing")
  void invalidDescriptorDoesNotRetire() throws Exception {
    String good = Files.readString(dir.resolve("A.json"));
    Files.writeString(dir.resolve("A.json"), good.substring(0, good.length() / 2));

    await().atMost(Duration.ofSeconds(10)).until(() -> node.problems().stream()
        .anyMatch(p -> "A.json".equals(p.getString("file"))));
    assertEquals("A", node.signingKid());
    assertEquals("signing", node.stateOf("A"));
    assertEquals("A", KeysetTestNode.kidOf(node.bearer()));

    Files.writeString(dir.resolve("A.json"), good);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.problems().isEmpty());
    assertEquals("A", node.signingKid());
  }
}
