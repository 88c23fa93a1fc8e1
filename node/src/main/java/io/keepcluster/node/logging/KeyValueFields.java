package io.keepcluster.node.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code key=value} fields of a log message ({@code event=login_ok user=alice
 * reason="a b"}), so the JSON format can carry them as fields. Values are the text after
 * {@code =} up to the next space, or between double quotes; words that are not
 * {@code key=value} are skipped. The first occurrence of a key wins.
 */
public final class KeyValueFields {

  /** Names the JSON line already uses: a message field of that name stays in the message only. */
  static final Set<String> RESERVED = Set.of("timestamp", "level", "logger", "thread", "message",
      "stack_trace", "audit");

  private KeyValueFields() {}

  public static Map<String, String> parse(String message) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (message == null) {
      return fields;
    }
    int i = 0;
    int n = message.length();
    while (i < n) {
      while (i < n && message.charAt(i) == ' ') {
        i++;
      }
      int keyStart = i;
      while (i < n && isKeyChar(message.charAt(i))) {
        i++;
      }
      if (i == keyStart || i >= n || message.charAt(i) != '=' || !Character.isLetter(message.charAt(keyStart))) {
        while (i < n && message.charAt(i) != ' ') {
          i++;
        }
        continue;
      }
      String key = message.substring(keyStart, i);
      i++; // '='
      String value;
      if (i < n && message.charAt(i) == '"') {
        int close = message.indexOf('"', i + 1);
        if (close < 0) {
          value = message.substring(i + 1);
          i = n;
        } else {
          value = message.substring(i + 1, close);
          i = close + 1;
        }
      } else {
        int end = message.indexOf(' ', i);
        end = end < 0 ? n : end;
        value = message.substring(i, end);
        i = end;
      }
      if (!RESERVED.contains(key)) {
        fields.putIfAbsent(key, value);
      }
    }
    return fields;
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
}
