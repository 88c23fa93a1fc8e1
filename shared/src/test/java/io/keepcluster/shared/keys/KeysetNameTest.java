package io.keepcluster.shared.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeysetNameTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "Z", "0", "_", "-", "prod-2025_rsa", "ABCdef123"})
  @DisplayName("names of letters, digits, underscore and dash are accepted")
  void acceptsValidNames(String raw) {
    assertEquals(raw, KeysetName.of(raw).value());
  }

  @Test
  @DisplayName("a name of exactly 64 characters is accepted")
  void acceptsSixtyFourCharacters() {
    assertEquals(64, KeysetName.of("a".repeat(64)).value().length());
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "a b", "a.b", "a/b", "ünï", "../etc", "a\\b"})
  @DisplayName("names with space, dot, slash, unicode, empty or null are refused naming the rule")
  void refusesInvalidNames(String raw) {
    InvalidKeysetNameException e = assertThrows(InvalidKeysetNameException.class, () -> KeysetName.of(raw));
    assertTrue(e.getMessage().startsWith("keyset name must be 1-64 characters of A-Z a-z 0-9 _ - (got: "),
        e.getMessage());
  }

  @Test
  @DisplayName("a name of 65 characters is refused")
  void refusesSixtyFiveCharacters() {
    assertThrows(InvalidKeysetNameException.class, () -> KeysetName.of("a".repeat(65)));
  }

  @Test
  @DisplayName("names are values: equal by content, toString is the name")
  void isAValue() {
    assertEquals(KeysetName.of("k1"), KeysetName.of("k1"));
    assertEquals(KeysetName.of("k1").hashCode(), KeysetName.of("k1").hashCode());
    assertNotEquals(KeysetName.of("k1"), KeysetName.of("K1"));
    assertEquals("k1", KeysetName.of("k1").toString());
  }
}
