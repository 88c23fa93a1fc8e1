package io.keepcluster.shared.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyAlgorithmSpecTest {

  @Test
  @DisplayName("RSA defaults to 2048 bits and EC to P-256")
  void defaults() {
    assertEquals(KeyAlgorithmSpec.rsa(2048), KeyAlgorithmSpec.parse("rsa", null, null));
    assertEquals(KeyAlgorithmSpec.ec("P-256"), KeyAlgorithmSpec.parse("Ec", null, null));
  }

  @ParameterizedTest
  @CsvSource({"P-256,ES256", "secp256r1,ES256", "P-384,ES384", "secp384r1,ES384", "P-521,ES512", "secp521r1,ES512"})
  @DisplayName("each allowed curve, by JOSE or SEC name, maps to its ES algorithm")
  void curvesMapToJws(String curve, String jws) {
    KeyAlgorithmSpec spec = KeyAlgorithmSpec.ec(curve);
    assertEquals("EC", spec.family());
    assertEquals(jws, spec.jwsAlgorithm());
  }

  @ParameterizedTest
  @ValueSource(ints = {2048, 3072, 4096})
  @DisplayName("RSA 2048, 3072 and 4096 sign with RS256")
  void rsaSizes(int bits) {
    assertEquals("RS256", KeyAlgorithmSpec.rsa(bits).jwsAlgorithm());
    assertEquals("RSA", KeyAlgorithmSpec.rsa(bits).family());
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 2047, 2049, 8192})
  @DisplayName("other RSA sizes are refused")
  void refusesRsaSizes(int bits) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyAlgorithmSpec.rsa(bits));
    assertTrue(e.getMessage().contains("2048, 3072 or 4096"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"secp256k1", "P-192", "prime192v1", "ed25519", ""})
  @DisplayName("other curves are refused")
  void refusesCurves(String curve) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyAlgorithmSpec.ec(curve));
    assertTrue(e.getMessage().contains("P-256, P-384 or P-521"), e.getMessage());
  }

  @Test
  @DisplayName("an unknown algorithm, a curve for RSA or a size for EC is refused")
  void refusesMismatchedInput() {
    assertThrows(IllegalArgumentException.class, () -> KeyAlgorithmSpec.parse("DSA", null, null));
    assertThrows(IllegalArgumentException.class, () -> KeyAlgorithmSpec.parse(null, null, null));
    assertThrows(IllegalArgumentException.class, () -> KeyAlgorithmSpec.parse("RSA", null, "P-256"));
    assertThrows(IllegalArgumentException.class, () -> KeyAlgorithmSpec.parse("EC", 2048, null));
  }
}
