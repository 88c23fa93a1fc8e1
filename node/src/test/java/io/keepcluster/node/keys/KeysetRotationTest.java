package io.keepcluster.node.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("keyset rotation and retirement")
class KeysetRotationTest {

  private static final KeyAlgorithmSpec RSA = KeyAlgorithmSpec.rsa(2048);

  @TempDir Path dir;
  private KeysetTestNode node;

  @BeforeEach
  void startNode() throws Exception {
    node = KeysetTestNode.start(dir);
  }

  @AfterEach
  void stopNode() throws Exception {
    node.close();
  }

  private static Clock ago(int seconds) {
    return Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-seconds));
  }

  @Test
  @DisplayName("a keyset with a newer certificate takes over signing and tokens of the old one keep working")
  void newerKeysetTakesOver() throws Exception {
    node.drop("A", RSA, ago(60));
    node.awaitSigning("A");
    String tokenOfA = node.bearer();
    assertEquals("A", KeysetTestNode.kidOf(tokenOfA));

    node.drop("B", RSA, Clock.systemUTC());
    node.awaitSigning("B");
    assertEquals("B", KeysetTestNode.kidOf(node.bearer()));
    assertEquals(200, node.userinfo(tokenOfA).statusCode());
    assertEquals("verifying", node.stateOf("A"));
  }

  @Test
  @DisplayName("an older keyset dropped after a newer one never takes over signing")
  void olderKeysetDoesNotTakeOver() throws Exception {
    node.drop("B", RSA, Clock.systemUTC());
    node.awaitSigning("B");
    node.drop("A", RSA, ago(60));
    await().atMost(Duration.ofSeconds(5)).until(() -> "verifying".equals(node.stateOf("A")));
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
        .until(() -> "B".equals(node.signingKid()));
    assertEquals("B", KeysetTestNode.kidOf(node.bearer()));
  }

  @Test
  @DisplayName("deleting the signing keyset's four files retires it: it stops signing and its tokens keep verifying")
  void deletingFilesRetires() throws Exception {
    node.drop("Z", RSA, ago(120));
    node.drop("A", RSA, ago(60));
    node.awaitSigning("A");
    String tokenOfA = node.bearer();

    for (String file : new String[] {"A.json", "A.private.key.pem", "A.public.key.pem", "A.cert.pem"}) {
      Files.delete(dir.resolve(file));
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> "retiring".equals(node.stateOf("A")));
    assertRetiredButVerifying("A", "Z", tokenOfA);
  }

  @Test
  @DisplayName("rewriting the signing keyset's descriptor with \"active\": false retires it: it stops signing and its tokens keep verifying")
  void activeFalseRetires() throws Exception {
    node.drop("Z", RSA, ago(120));
    node.drop("A", RSA, ago(60));
    node.awaitSigning("A");
    String tokenOfA = node.bearer();

    JsonObject descriptor = new JsonObject(Files.readString(dir.resolve("A.json"))).put("active", false);
    Path tmp = dir.resolve(".A.json.tmp");
    Files.writeString(tmp, descriptor.encodePrettily());
    Files.move(tmp, dir.resolve("A.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    await().atMost(Duration.ofSeconds(5)).until(() -> "retiring".equals(node.stateOf("A")));
    assertRetiredButVerifying("A", "Z", tokenOfA);
    assertEquals(java.util.List.of(), node.problems());
  }

  private void assertRetiredButVerifying(String retired, String successor, String oldToken) throws Exception {
    await().atMost(Duration.ofSeconds(5)).until(() -> successor.equals(node.signingKid()));
    await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(4))
        .until(() -> successor.equals(node.signingKid()) && "retiring".equals(node.stateOf(retired)));
    for (int i = 0; i < 5; i++) {
      assertEquals(successor, KeysetTestNode.kidOf(node.bearer()));
    }
    assertEquals(200, node.userinfo(oldToken).statusCode());
  }

  @Test
  @DisplayName("of two keysets with the same notBefore, the NAME that sorts last signs even when it arrives first")
  void tieGoesToLastNameWhenItArrivesFirst() throws Exception {
    Clock same = Clock.fixed(Instant.now().minusSeconds(30), ZoneOffset.UTC);
    node.drop("N", RSA, same);
    node.awaitSigning("N");
    node.drop("M", RSA, same);
    await().atMost(Duration.ofSeconds(5)).until(() -> "verifying".equals(node.stateOf("M")));
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
        .until(() -> "N".equals(node.signingKid()));
    assertEquals("N", KeysetTestNode.kidOf(node.bearer()));
  }

  @Test
  @DisplayName("of two keysets with the same notBefore, the NAME that sorts last signs when it arrives second")
  void tieGoesToLastNameWhenItArrivesSecond() throws Exception {
    Clock same = Clock.fixed(Instant.now().minusSeconds(30), ZoneOffset.UTC);
    node.drop("M", RSA, same);
    node.awaitSigning("M");
    node.drop("N", RSA, same);
    node.awaitSigning("N");
    assertEquals("verifying", node.stateOf("M"));
    assertEquals("N", KeysetTestNode.kidOf(node.bearer()));
  }
}
