package io.keepcluster.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keepcluster.shared.cluster.ClusterSecret;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterCipherTest {

  private static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A random key: what ClusterSecret.deriveKey returns, without paying its Argon2id cost. */
  private final byte[] key = randomKey();
  private final ClusterCipher cipher = new ClusterCipher(key, RANDOM);

  private static byte[] randomKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  @Test
  @DisplayName("a value sealed with the cluster key opens with the same key")
  void roundTrip() throws Exception {
    String sealed = cipher.seal(PEM, "keyset:A:fp");
    assertEquals(PEM, new ClusterCipher(key.clone(), new SecureRandom()).open(sealed, "keyset:A:fp"));
  }

  @Test
  @DisplayName("two members deriving the key from the same secret and cluster name open each other's values")
  void derivedKeysMatch() throws Exception {
    String text = ClusterSecret.generate(RANDOM).encoded();
    ClusterCipher first = new ClusterCipher(ClusterSecret.parse(text).deriveKey("prod"), RANDOM);
    ClusterCipher second = new ClusterCipher(ClusterSecret.parse(text).deriveKey("prod"), RANDOM);

    assertEquals(PEM, second.open(first.seal(PEM, "keyset:A:fp"), "keyset:A:fp"));
  }

  @Test
  @DisplayName("the caller may clear its key array after building the cipher")
  void keyIsCopied() throws Exception {
    byte[] mine = key.clone();
    ClusterCipher own = new ClusterCipher(mine, RANDOM);
    Arrays.fill(mine, (byte) 0);

    assertEquals(PEM, own.open(cipher.seal(PEM, "x"), "x"));
  }

  @Test
  @DisplayName("the sealed form does not contain the plaintext")
  void sealedHidesPlaintext() {
    String sealed = cipher.seal(PEM, "keyset:A:fp");
    assertFalse(sealed.contains("PRIVATE KEY"));
    assertFalse(new String(Base64.getDecoder().decode(sealed), java.nio.charset.StandardCharsets.ISO_8859_1)
        .contains("PRIVATE KEY"));
  }

  @Test
  @DisplayName("each seal uses a fresh nonce, so equal plaintexts give different ciphertexts")
  void freshNonce() {
    assertNotEquals(cipher.seal(PEM, "a"), cipher.seal(PEM, "a"));
  }

  @Test
  @DisplayName("a member with another key (another secret) cannot open the value")
  void wrongSecretFails() {
    String sealed = cipher.seal(PEM, "keyset:A:fp");
    ClusterCipher other = new ClusterCipher(randomKey(), new SecureRandom());
    assertThrows(ClusterCipher.SealException.class, () -> other.open(sealed, "keyset:A:fp"));
  }

  @Test
  @DisplayName("a sealed key replayed under another kid or fingerprint is refused")
  void associatedDataIsBound() {
    String sealed = cipher.seal(PEM, "keyset:A:fp");
    assertThrows(ClusterCipher.SealException.class, () -> cipher.open(sealed, "keyset:B:fp"));
  }

  @Test
  @DisplayName("a flipped bit in the ciphertext is detected")
  void tamperingDetected() {
    byte[] bytes = Base64.getDecoder().decode(cipher.seal(PEM, "x"));
    bytes[bytes.length - 5] ^= 1;
    String tampered = Base64.getEncoder().encodeToString(bytes);
    assertThrows(ClusterCipher.SealException.class, () -> cipher.open(tampered, "x"));
  }

  @Test
  @DisplayName("garbage and truncated values are refused, not crashed on")
  void garbageRefused() {
    assertThrows(ClusterCipher.SealException.class, () -> cipher.open("not base64 !", "x"));
    assertThrows(ClusterCipher.SealException.class, () -> cipher.open("AAAA", "x"));
  }

  @Test
  @DisplayName("a missing key or one that is not 32 bytes is refused")
  void badKeyRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ClusterCipher(null, RANDOM));
    assertThrows(IllegalArgumentException.class, () -> new ClusterCipher(new byte[0], RANDOM));
    assertThrows(IllegalArgumentException.class, () -> new ClusterCipher(new byte[16], RANDOM));
  }
}
