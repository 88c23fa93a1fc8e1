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

@DisplayName("files that are not keysets")
class IgnoredFilesTest {

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
  @DisplayName("editor swap and backup files and unrelated files are ignored: no problem, no new keyset, same signer")
  void editorAndUnrelatedFilesAreIgnored() throws Exception {
    String broken = "{\"JwtUsePubPrivKey\": true, \"JwtPrivateKeyFile\": \"keepconfig.d/nothing.pem\",";
    Files.write(dir.resolve(".A.json.swp"), new byte[] {0, 1, 2, 'b', '0', 'V', 'I', 'M', (byte) 0xff});
    Files.writeString(dir.resolve("notes.txt"), "rotate A next quarter\n");
    Files.writeString(dir.resolve("A.json~"), broken);
    Files.writeString(dir.resolve(".Hidden.json"), broken);
    Files.writeString(dir.resolve("A.private.key.pem.bak"), "-----BEGIN PRIVATE KEY-----\ntruncated");

    // Longer than the problem grace period (2 s) plus a periodic rescan (1 s).
    await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(6))
        .until(() -> node.problems().isEmpty() && "A".equals(node.signingKid()));
    assertEquals(1, node.health().getJsonArray("keysets").size());
    assertEquals("signing", node.stateOf("A"));
    assertEquals("A", KeysetTestNode.kidOf(node.bearer()));
  }
}
