package io.keepcluster.node.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.Jwts;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("rollover lead: a new keyset is published (verifies, in the JWKS) before it signs")
class RolloverLeadTest {

  private static final String PUBLIC_URL = "https://sso.acme.test";
  private static final KeyAlgorithmSpec RSA = KeyAlgorithmSpec.rsa(2048);

  @TempDir Path dir;

  private KeysetTestNode start(int leadSeconds) throws Exception {
    KeysetTestNode.prepare(dir);
    return KeysetTestNode.startOn(dir, Map.of("KEEP_PUBLIC_URL", PUBLIC_URL,
        "KEEP_ROLLOVER_LEAD_SECONDS", Integer.toString(leadSeconds)));
  }

  private static Clock ago(int seconds) {
    return Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-seconds));
  }

  @Test
  @DisplayName("with a 3 s lead a new keyset is in the JWKS at once, tokens keep the old kid until ~3 s later, then the new one; iss never changes")
  void leadOfThreeSeconds() throws Exception {
    try (KeysetTestNode node = start(3)) {
      node.drop("Old", RSA, ago(60));
      node.awaitSigning("Old");
      String before = node.bearer();
      assertEquals("Old", KeysetTestNode.kidOf(before), "the first keyset signs at once: nothing else could");

      node.drop("New", RSA, Clock.systemUTC());
      Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
          .until(() -> node.get(node.api("/.well-known/jwks.json")).body().contains("\"New\""));
      Instant seenInJwks = Instant.now();

      JsonObject state = node.keysetState("New").orElseThrow();
      assertEquals("published", state.getString("state"), state.encode());
      Instant signingAt = Instant.parse(state.getString("signingAt"));
      assertTrue(signingAt.isAfter(seenInJwks.plusMillis(1500)), "signingAt " + signingAt + " vs " + seenInJwks);
      assertEquals("Old", node.signingKid());
      String during = node.bearer();
      assertEquals("Old", KeysetTestNode.kidOf(during), "still in its lead");

      Awaitility.await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(20))
          .until(() -> "New".equals(KeysetTestNode.kidOf(node.bearer())));
      assertFalse(Instant.now().isBefore(signingAt), "signed with New before its signingAt " + signingAt);
      String after = node.bearer();

      JsonObject signing = node.keysetState("New").orElseThrow();
      assertEquals("signing", signing.getString("state"), signing.encode());
      assertFalse(signing.containsKey("signingAt"), signing.encode());
      assertEquals("verifying", node.stateOf("Old"));
      for (String token : new String[] {before, during, after}) {
        assertEquals(PUBLIC_URL, Jwts.payload(token).getString("iss"));
        assertEquals(200, node.userinfo(token).statusCode());
      }
    }
  }

  @Test
  @DisplayName("with lead 0 a new keyset signs at once, as in DRAPI")
  void zeroLead() throws Exception {
    try (KeysetTestNode node = start(0)) {
      node.drop("Old", RSA, ago(60));
      node.awaitSigning("Old");

      node.drop("New", RSA, Clock.systemUTC());
      Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
          .until(() -> "New".equals(KeysetTestNode.kidOf(node.bearer())));
      assertEquals("signing", node.stateOf("New"));
    }
  }
}
