package io.keepcluster.node.logging;

import java.util.Locale;

/** How log lines are written: today's key=value text, or one JSON object per line. */
public enum LogFormat {
  TEXT, JSON;

  /** Reads {@code text} or {@code json} (any case); anything else is refused with the allowed values. */
  public static LogFormat parse(String value, String source) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException(source + " must be \"text\" or \"json\", not \""
          + LogSafe.value(value) + "\"");
    };
  }
}
