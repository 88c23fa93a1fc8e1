package io.keepcluster.node.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeyValueFieldsTest {

  @Test
  @DisplayName("key=value words become fields, quoted values keep their spaces, other words are skipped")
  void parses() {
    assertEquals(Map.of("event", "login_ok", "user", "alice", "reason", "no such file", "ms", "12"),
        KeyValueFields.parse("event=login_ok user=alice some words reason=\"no such file\" ms=12"));
  }

  @Test
  @DisplayName("names the JSON line already has (message, level, ...) stay in the message only")
  void reservedNamesSkipped() {
    assertEquals(Map.of("event", "x"), KeyValueFields.parse("event=x message=hi level=debug audit=false"));
  }

  @Test
  @DisplayName("the first occurrence of a key wins; an unterminated quote takes the rest of the line")
  void edges() {
    assertEquals(Map.of("a", "1", "b", "open end"), KeyValueFields.parse("a=1 a=2 b=\"open end"));
    assertEquals(Map.of(), KeyValueFields.parse("=x 1=2 plain text"));
    assertEquals(Map.of("empty", ""), KeyValueFields.parse("empty="));
  }
}
