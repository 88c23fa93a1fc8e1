package io.keepcluster.node.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("keysets made with openssl and copied in file by file")
class OpensslKeysetDropTest {

  @TempDir Path dir;
  @TempDir Path staging;
  private KeysetTestNode node;

  @BeforeEach
  void startNode() throws Exception {
    Assumptions.assumeTrue(KeysetTestNode.opensslAvailable(), "needs /usr/bin/openssl");
    node = KeysetTestNode.start(dir);
  }

  @AfterEach
  void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private List<String> stageRsa(String name) throws Exception {
    KeysetTestNode.opensslOk(staging, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
        "-out", name + ".private.key.pem");
    KeysetTestNode.opensslOk(staging, "pkey", "-in", name + ".private.key.pem", "-pubout",
        "-out", name + ".public.key.pem");
    KeysetTestNode.opensslOk(staging, "req", "-new", "-x509", "-key", name + ".private.key.pem",
        "-subj", "/CN=" + name, "-days", "2", "-out", name + ".cert.pem");
    Files.writeString(staging.resolve(name + ".json"), KeysetTestNode.drapiDescriptor(name, "RSA", true));
    return new ArrayList<>(List.of(name + ".json", name + ".private.key.pem", name + ".public.key.pem",
        name + ".cert.pem"));
  }

  /**
   * Copies the files into DIR one at a time (a plain copy, not atomic), leaving the watcher time
   * to scan each incomplete state; answers the instant the last file landed.
   */
  private long copyOneByOne(List<String> files) throws Exception {
    long lastLanded = 0;
    for (int i = 0; i < files.size(); i++) {
      Files.copy(staging.resolve(files.get(i)), dir.resolve(files.get(i)));
      lastLanded = System.nanoTime();
      if (i < files.size() - 1) {
        // Longer than the watcher's debounce, so the node really sees the incomplete keyset.
        await().pollDelay(Duration.ofMillis(250)).atMost(Duration.ofSeconds(1)).until(() -> true);
      }
    }
    return lastLanded;
  }

  private void assertSignsWithinOneSecondOf(String kid, long lastLanded) {
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
        .until(() -> kid.equals(node.signingKid()));
    System.out.printf("openssl keyset %s signing %d ms after its last file landed%n", kid,
        (System.nanoTime() - lastLanded) / 1_000_000);
  }

  private void assertNoLastingProblem() {
    await().during(Duration.ofMillis(3000)).atMost(Duration.ofSeconds(6))
        .until(() -> node.problems().isEmpty());
  }

  @Test
  @DisplayName("an openssl RSA keyset copied in a shuffled order signs within 1 s of its last file, with no lasting problem")
  void shuffledCopySigns() throws Exception {
    List<String> files = stageRsa("B");
    long seed = System.nanoTime();
    Collections.shuffle(files, new Random(seed));
    System.out.println("copy order (seed " + seed + "): " + files);
    long lastLanded = copyOneByOne(files);
    assertSignsWithinOneSecondOf("B", lastLanded);
    assertNoLastingProblem();
  }

  @Test
  @DisplayName("an openssl RSA keyset whose descriptor is copied first signs within 1 s of its last file")
  void descriptorFirstSigns() throws Exception {
    List<String> files = stageRsa("B");
    long lastLanded = copyOneByOne(files); // descriptor first, as staged
    assertSignsWithinOneSecondOf("B", lastLanded);
    assertNoLastingProblem();

    SignedJWT jwt = SignedJWT.parse(node.bearer());
    assertEquals("B", jwt.getHeader().getKeyID());
    assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
    JWK key = JWKSet.parse(node.get(node.api("/.well-known/jwks.json")).body()).getKeyByKeyId("B");
    assertInstanceOf(RSAKey.class, key);
    assertTrue(jwt.verify(new RSASSAVerifier((RSAKey) key)));
  }

  @Test
  @DisplayName("an openssl EC P-521 keyset (ecparam -genkey) signs ES512 tokens that verify with the JWKS")
  void ecP521Signs() throws Exception {
    String name = "C";
    KeysetTestNode.opensslOk(staging, "ecparam", "-genkey", "-name", "secp521r1",
        "-out", name + ".private.key.pem");
    KeysetTestNode.opensslOk(staging, "pkey", "-in", name + ".private.key.pem", "-pubout",
        "-out", name + ".public.key.pem");
    KeysetTestNode.opensslOk(staging, "req", "-new", "-x509", "-sha512", "-key", name + ".private.key.pem",
        "-subj", "/CN=" + name, "-days", "2", "-out", name + ".cert.pem");
    Files.writeString(staging.resolve(name + ".json"), KeysetTestNode.drapiDescriptor(name, "EC", true));
    List<String> files = new ArrayList<>(List.of(name + ".private.key.pem", name + ".cert.pem",
        name + ".json", name + ".public.key.pem"));
    long lastLanded = copyOneByOne(files);
    assertSignsWithinOneSecondOf(name, lastLanded);

    SignedJWT jwt = SignedJWT.parse(node.bearer());
    assertEquals(name, jwt.getHeader().getKeyID());
    assertEquals(JWSAlgorithm.ES512, jwt.getHeader().getAlgorithm());
    assertEquals(TestNode.PUBLIC_URL, jwt.getJWTClaimsSet().getIssuer(), "the cluster issuer, not the keyset's");
    JWK key = JWKSet.parse(node.get(node.api("/.well-known/jwks.json")).body()).getKeyByKeyId(name);
    assertInstanceOf(ECKey.class, key);
    assertTrue(jwt.verify(new ECDSAVerifier((ECKey) key)));
    assertEquals(200, node.userinfo(jwt.serialize()).statusCode());
    assertNoLastingProblem();
  }
}
