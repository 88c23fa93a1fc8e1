package io.keepcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0af7651916cd43dd8448eb211c80319c", "lb-1:req.42_x",
      "550e8400-e29b-41d4-a716-446655440000"})
  @DisplayName("a sane incoming X-Request-Id is kept as it is")
  void saneIdKept(String id) {
    assertEquals(id, RequestIds.accept(id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "quote\"d", "new\nline", "tab\t", "semi;colon",
      "ünïcode", "a/b", "x=y", "{json}"})
  @DisplayName("an incoming id with anything but letters, digits and . _ : - is replaced")
  void unsafeIdReplaced(String id) {
    String accepted = RequestIds.accept(id);
    assertNotEquals(id, accepted);
    assertTrue(accepted.matches("[0-9a-f]{16}"), accepted);
  }

  @Test
  @DisplayName("an id longer than 64 characters is replaced, one of 64 is kept")
  void lengthBound() {
    String max = "a".repeat(64);
    assertEquals(max, RequestIds.accept(max));
    assertFalse(RequestIds.sane(max + "a"));
  }

  @Test
  @DisplayName("a request without an id gets a fresh 16-hex-digit one each time")
  void generated() {
    String first = RequestIds.accept(null);
    String second = RequestIds.accept(null);
    assertTrue(first.matches("[0-9a-f]{16}"), first);
    assertNotEquals(first, second);
  }
}
