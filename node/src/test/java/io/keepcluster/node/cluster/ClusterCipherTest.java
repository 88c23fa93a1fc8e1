package io.keepcluster.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterCipherTest {

  private static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

  private final ClusterCipher cipher = new ClusterCipher("shared secret", new SecureRandom());

  @Test
  @DisplayName("a value sealed with the cluster secret opens with the same secret")
  void roundTrip() throws Exception {
    String sealed = cipher.seal(PEM, "keyset:A:fp");
    assertEquals(PEM, new ClusterCipher("shared secret", new SecureRandom()).open(sealed, "keyset:A:fp"));
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
  @DisplayName("a member with another secret cannot open the value")
  void wrongSecretFails() {
    String sealed = cipher.seal(PEM, "keyset:A:fp");
    ClusterCipher other = new ClusterCipher("another secret", new SecureRandom());
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
  @DisplayName("an empty secret is refused")
  void emptySecretRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ClusterCipher("", new SecureRandom()));
  }
}
