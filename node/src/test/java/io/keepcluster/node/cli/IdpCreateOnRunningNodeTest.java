package io.keepcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.keys.KeysetTestNode;
import io.keepcluster.node.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayName("idp create on a running node")
class IdpCreateOnRunningNodeTest {

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

  private int idpCreate(String name, String algorithm) {
    return new CommandLine(new KeepClusterCommand())
        .execute("idp", "create", name, "--algorithm", algorithm, "--config-dir", dir.toString());
  }

  @Test
  @DisplayName("an EC keyset made by idp create signs within 1 s, and its tokens verify with the published JWKS alone")
  void idpCreateSignsWithinOneSecond() throws Exception {
    assertEquals(0, idpCreate("A", "EC"));
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
        .until(() -> "A".equals(node.signingKid()));

    SignedJWT jwt = SignedJWT.parse(node.bearer());
    assertEquals("A", jwt.getHeader().getKeyID());
    assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
    assertEquals(TestNode.PUBLIC_URL, jwt.getJWTClaimsSet().getIssuer(), "the cluster issuer, not the keyset's");

    JWKSet published = JWKSet.parse(node.get(node.api("/.well-known/jwks.json")).body());
    JWK key = published.getKeyByKeyId("A");
    assertNotNull(key, "JWKS entry for kid A");
    assertInstanceOf(ECKey.class, key);
    assertTrue(jwt.verify(new ECDSAVerifier((ECKey) key)));
    assertEquals(200, node.userinfo(jwt.serialize()).statusCode());
  }

  @Test
  @DisplayName("an RSA keyset made by idp create signs RS256 tokens that verify with the published JWKS alone")
  void idpCreateRsaVerifiesWithJwks() throws Exception {
    assertEquals(0, idpCreate("R", "RSA"));
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
        .until(() -> "R".equals(node.signingKid()));

    SignedJWT jwt = SignedJWT.parse(node.bearer());
    assertEquals("R", jwt.getHeader().getKeyID());
    assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
    JWK key = JWKSet.parse(node.get(node.api("/.well-known/jwks.json")).body()).getKeyByKeyId("R");
    assertInstanceOf(RSAKey.class, key);
    assertTrue(jwt.verify(new RSASSAVerifier((RSAKey) key)));
  }

  @Test
  @DisplayName("ten keysets dropped one after another each sign within 1 s of their files landing (latency printed)")
  void dropToSigningLatency() throws Exception {
    List<Long> latenciesMs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String name = String.format("L%02d", i);
      assertEquals(0, idpCreate(name, "EC"));
      long dropped = System.nanoTime();
      await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5))
          .until(() -> name.equals(node.signingKid()));
      latenciesMs.add((System.nanoTime() - dropped) / 1_000_000);
    }
    List<Long> sorted = new ArrayList<>(latenciesMs);
    Collections.sort(sorted);
    long median = (sorted.get(4) + sorted.get(5)) / 2;
    System.out.printf("keyset drop-to-signing latency over %d drops: median=%d ms max=%d ms all=%s%n",
        sorted.size(), median, sorted.get(sorted.size() - 1), latenciesMs);
    assertTrue(sorted.get(sorted.size() - 1) <= 1000L, "max latency " + sorted);
  }

  @Test
  @DisplayName("idp create refuses an existing NAME and leaves the running node's signer alone")
  void idpCreateRefusesExistingName() throws Exception {
    assertEquals(0, idpCreate("A", "EC"));
    node.awaitSigning("A");
    String before = java.nio.file.Files.readString(dir.resolve("A.private.key.pem"));
    assertNotEquals(0, idpCreate("A", "RSA"));
    assertEquals(before, java.nio.file.Files.readString(dir.resolve("A.private.key.pem")));
    assertEquals("A", node.signingKid());
  }
}
