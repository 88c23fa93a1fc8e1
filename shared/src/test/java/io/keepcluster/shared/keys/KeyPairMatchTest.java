package io.keepcluster.shared.keys;

import static io.keepcluster.shared.keys.ExternalTools.assumeOpenssl;
import static io.keepcluster.shared.keys.ExternalTools.runOk;
import static io.keepcluster.shared.keys.ExternalTools.writeDescriptor;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arithmetic key pair check ({@link KeyPairMatch}) accepts what the old sign-and-verify probe
 * accepted and refuses every mismatch with the same reason, on keys made by the real openssl.
 */
class KeyPairMatchTest {

  private static final String MISMATCH = "private key does not match the public key";

  @TempDir
  Path dir;

  private final KeysetLoader loader = new KeysetLoader();

  @BeforeEach
  void needsOpenssl() {
    assumeOpenssl();
  }

  private void rsaKey(String name) throws Exception {
    runOk(dir, "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".pem");
    runOk(dir, "openssl", "pkey", "-in", name + ".pem", "-pubout", "-out", name + ".pub.pem");
  }

  private void ecKey(String name, String curve) throws Exception {
    runOk(dir, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + curve, "-out", name + ".pem");
    runOk(dir, "openssl", "pkey", "-in", name + ".pem", "-pubout", "-out", name + ".pub.pem");
  }

  private PrivateKey privateKey(String name) throws Exception {
    return PemKeys.parsePrivateKey(Files.readString(dir.resolve(name + ".pem")));
  }

  private PublicKey publicKey(String name) throws Exception {
    return PemKeys.parsePublicKey(Files.readString(dir.resolve(name + ".pub.pem")));
  }

  @Test
  @DisplayName("an openssl RSA key and its own public key are a match")
  void rsaPairMatches() throws Exception {
    rsaKey("a");
    assertEquals(KeyPairMatch.Verdict.MATCH, KeyPairMatch.check(privateKey("a"), publicKey("a")));
    assertDoesNotThrow(() -> loader.load(dir, writeDescriptor(dir, "a", "a.pem", "a.pub.pem", null, null)));
  }

  @Test
  @DisplayName("an openssl RSA private key with another RSA key's public key is refused as not matching")
  void rsaMismatchRefused() throws Exception {
    rsaKey("a");
    rsaKey("b");
    assertEquals(KeyPairMatch.Verdict.MISMATCH, KeyPairMatch.check(privateKey("a"), publicKey("b")));
    KeysetLoadException e = assertThrows(KeysetLoadException.class,
        () -> loader.load(dir, writeDescriptor(dir, "a", "a.pem", "b.pub.pem", null, null)));
    assertEquals(MISMATCH, e.reason());
    assertEquals("b.pub.pem", e.fileName());
  }

  @Test
  @DisplayName("an RSA private key whose CRT exponent was altered is refused although n and e match")
  void rsaInconsistentPrivateKeyRefused() throws Exception {
    rsaKey("a");
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) privateKey("a");
    PrivateKey altered = KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateCrtKeySpec(k.getModulus(),
        k.getPublicExponent(), k.getPrivateExponent(), k.getPrimeP(), k.getPrimeQ(),
        k.getPrimeExponentP().add(BigInteger.TWO), k.getPrimeExponentQ(), k.getCrtCoefficient()));
    assertEquals(KeyPairMatch.Verdict.MISMATCH, KeyPairMatch.check(altered, publicKey("a")));
    KeysetLoadException e = assertThrows(KeysetLoadException.class, () -> KeyPolicy.checkPair(altered, publicKey("a")));
    assertEquals(MISMATCH, e.reason());
  }

  @Test
  @DisplayName("an openssl EC key and its own public key are a match on P-256, P-384 and P-521")
  void ecPairMatches() throws Exception {
    for (String curve : new String[] {"P-256", "P-384", "P-521"}) {
      String name = "k" + curve.substring(2);
      ecKey(name, curve);
      assertEquals(KeyPairMatch.Verdict.MATCH, KeyPairMatch.check(privateKey(name), publicKey(name)), curve);
    }
    assertDoesNotThrow(() -> loader.load(dir, writeDescriptor(dir, "k256", "k256.pem", "k256.pub.pem", null, null)));
  }

  @Test
  @DisplayName("an openssl EC private key with another P-256 key's public key is refused as not matching")
  void ecMismatchRefused() throws Exception {
    ecKey("a", "P-256");
    ecKey("b", "P-256");
    assertEquals(KeyPairMatch.Verdict.MISMATCH, KeyPairMatch.check(privateKey("a"), publicKey("b")));
    KeysetLoadException e = assertThrows(KeysetLoadException.class,
        () -> loader.load(dir, writeDescriptor(dir, "a", "a.pem", "b.pub.pem", null, null)));
    assertEquals(MISMATCH, e.reason());
    assertEquals("b.pub.pem", e.fileName());
  }

  @Test
  @DisplayName("an EC private key on P-256 with a public key on P-384 is refused as not matching")
  void ecCurveMismatchRefused() throws Exception {
    ecKey("a", "P-256");
    ecKey("b", "P-384");
    KeysetLoadException e = assertThrows(KeysetLoadException.class,
        () -> loader.load(dir, writeDescriptor(dir, "a", "a.pem", "b.pub.pem", null, null)));
    assertEquals(MISMATCH, e.reason());
  }
}
