package io.keepcluster.shared.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterSecretTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  @DisplayName("a secret shorter than 22 characters is refused with its length and the fix")
  void tooShort() {
    WeakSecretException e = assertThrows(WeakSecretException.class,
        () -> ClusterSecret.parse("keepcluster2026"));

    assertEquals(WeakSecretException.Rule.TOO_SHORT, e.rule());
    assertEquals("KEEP_CLUSTER_SECRET is too weak: 15 characters, at least 22 needed (128 bits);"
        + " make one with: keepcluster-node secret generate", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"keepcluster2026", "keepclusterkeepclusterkeepcluster",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "changeme-changeme-changeme", "Password-Secret-Admin-2026!",
      "KEEPkeepKeEpCLUSTERtesttest123456", "abababababababababababab"})
  @DisplayName("obvious words and repetition are refused, and the message never shows the secret")
  void obviousSecretsRefused(String secret) {
    WeakSecretException e = assertThrows(WeakSecretException.class, () -> ClusterSecret.parse(secret));

    assertTrue(e.getMessage().startsWith("KEEP_CLUSTER_SECRET is too weak: "), e.getMessage());
    assertTrue(e.getMessage().endsWith("make one with: keepcluster-node secret generate"), e.getMessage());
    assertFalse(e.getMessage().contains(secret), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  @DisplayName("a long secret made of denylisted words says what was left once they were removed")
  void mostlyWordsNamesTheRule() {
    WeakSecretException e = assertThrows(WeakSecretException.class,
        () -> ClusterSecret.parse("keepclusterkeepclusterkeepcluster"));

    assertEquals(WeakSecretException.Rule.TOO_PREDICTABLE, e.rule());
    assertTrue(e.getMessage().contains("only 0 characters left"), e.getMessage());
  }

  @Test
  @DisplayName("a long secret with too few different characters is refused for that reason")
  void tooFewDistinct() {
    WeakSecretException e = assertThrows(WeakSecretException.class,
        () -> ClusterSecret.parse("abcabcabcabcabcabcabcabcabc"));

    assertEquals(WeakSecretException.Rule.TOO_FEW_DISTINCT, e.rule());
    assertTrue(e.getMessage().contains("only 3 different characters"), e.getMessage());
  }

  @Test
  @DisplayName("generated secrets are 43 base64url characters, accepted by parse and all different")
  void generatedSecrets() throws Exception {
    String first = ClusterSecret.generate(RANDOM).encoded();
    String second = ClusterSecret.generate(RANDOM).encoded();

    assertEquals(43, first.length());
    assertTrue(first.matches("[A-Za-z0-9_-]{43}"), "not base64url: length " + first.length());
    assertEquals(first, ClusterSecret.parse(first).encoded());
    assertNotEquals(first, second);
    for (int i = 0; i < 1000; i++) {
      String generated = ClusterSecret.generate(RANDOM).encoded();
      assertDoesNotThrow(() -> ClusterSecret.parse(generated));
    }
  }

  @Test
  @DisplayName("the integration tests' \"it-secret-\" + UUID form (46 characters) is accepted")
  void integrationTestForm() {
    for (int i = 0; i < 1000; i++) {
      String secret = "it-secret-" + UUID.randomUUID();
      assertEquals(46, secret.length());
      assertDoesNotThrow(() -> ClusterSecret.parse(secret));
      assertDoesNotThrow(() -> ClusterSecret.parse("not-" + secret));
    }
  }

  @Test
  @DisplayName("toString shows neither the secret nor any part of it")
  void toStringRedacts() throws Exception {
    String text = "it-secret-" + UUID.randomUUID();

    String shown = ClusterSecret.parse(text).toString();

    assertEquals("ClusterSecret[redacted, 46 chars]", shown);
    assertFalse(shown.contains(text.substring(10, 18)), shown);
  }

  @Test
  @DisplayName("the derived key is 32 bytes, the same for the same secret and cluster name, fresh each call")
  void derivationIsDeterministic() throws Exception {
    String text = ClusterSecret.generate(RANDOM).encoded();

    byte[] first = ClusterSecret.parse(text).deriveKey("prod");
    byte[] second = ClusterSecret.parse(text).deriveKey("prod");

    assertEquals(ClusterSecret.KEY_BYTES, first.length);
    assertArrayEquals(first, second);
    assertNotSame(first, second);
  }

  @Test
  @DisplayName("another cluster name or another secret derives another key")
  void derivationDependsOnNameAndSecret() {
    ClusterSecret secret = ClusterSecret.generate(RANDOM);
    byte[] key = secret.deriveKey("prod");

    assertFalse(Arrays.equals(key, secret.deriveKey("staging")));
    assertFalse(Arrays.equals(key, ClusterSecret.generate(RANDOM).deriveKey("prod")));
  }

  @Test
  @DisplayName("the cost of one key derivation is printed for the operator (no time is asserted)")
  void printDerivationCost() {
    ClusterSecret secret = ClusterSecret.generate(RANDOM);
    secret.deriveKey("warm-up"); // JIT and first allocation

    int rounds = 3;
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      secret.deriveKey("keepcluster");
    }
    double ms = (System.nanoTime() - start) / 1e6 / rounds;

    System.out.printf("argon2id cluster key: memory_kib=%d iterations=%d parallelism=%d: avg %.1f ms"
            + " over %d rounds%n", ClusterSecret.MEMORY_KIB, ClusterSecret.ITERATIONS,
        ClusterSecret.PARALLELISM, ms, rounds);
  }
}
