package io.keepcluster.node.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A real node holding an RSA keyset ("ARsa", RS256) and an EC keyset ("Ec", ES256), with tokens
 * from real logins signed by each. The newest keyset signs, and on a tie of certificate seconds
 * the NAME that sorts last, hence "ARsa" is dropped first and "Ec" second; tokens of "ARsa" are
 * taken while it still signs, one per use (a logout spends one).
 */
public final class TwoKeysetNode implements AutoCloseable {

  public static final String RSA = "ARsa";
  public static final String EC = "Ec";

  private final Path dir;
  private final TestNode node;
  private final Map<String, KeysetFiles> keysets = new HashMap<>();
  private final Deque<String> rsaTokens = new ArrayDeque<>();

  private TwoKeysetNode(Path dir, int rsaTokenCount) throws IOException {
    this.dir = dir;
    this.node = TestNode.in(dir).alice().start();
    drop(RSA, KeyAlgorithmSpec.rsa(2048));
    for (int i = 0; i < rsaTokenCount; i++) {
      rsaTokens.add(node.bearer("alice", "alice-pw"));
    }
    drop(EC, KeyAlgorithmSpec.ec("P-256"));
  }

  /** Starts the node in {@code dir}, keeping {@code rsaTokenCount} tokens signed by "ARsa". */
  public static TwoKeysetNode start(Path dir, int rsaTokenCount) throws IOException {
    return new TwoKeysetNode(dir, rsaTokenCount);
  }

  public TestNode node() {
    return node;
  }

  /** The four files of {@code kid}, private key included (for tests that sign or decrypt). */
  public KeysetFiles keyset(String kid) {
    return keysets.get(kid);
  }

  /** An unused token from a real login, signed by {@code kid}'s keyset. */
  public String token(String kid) {
    String token = kid.equals(RSA) ? rsaTokens.remove() : node.bearer("alice", "alice-pw");
    assertEquals(kid, Jwts.header(token).getString("kid"));
    return token;
  }

  private void drop(String name, KeyAlgorithmSpec spec) throws IOException {
    KeysetFiles files = new KeysetGenerator().generate(KeysetName.of(name), spec, Clock.systemUTC());
    files.writeTo(dir);
    keysets.put(name, files);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> name.equals(
        new JsonObject(TestNode.get(node.health("/health")).body()).getJsonObject("keys").getString("signing")));
  }

  @Override
  public void close() {
    node.close();
  }
}
