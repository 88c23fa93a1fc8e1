package io.keepcluster.node.logging;

/**
 * Makes caller-supplied text safe to put in a key=value log line: no line breaks, no quotes, a
 * bounded length. Only for identifiers such as user names, never for secrets.
 */
public final class LogSafe {

  private static final int MAX = 80;

  private LogSafe() {}

  public static String value(String text) {
    if (text == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX));
    for (int i = 0; i < text.length() && out.length() < MAX; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) || c == '"' || c == ' ' ? '_' : c);
    }
    return text.length() > MAX ? out + "..." : out.toString();
  }
}
