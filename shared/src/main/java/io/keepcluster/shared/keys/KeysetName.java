package io.keepcluster.shared.keys;

import java.util.regex.Pattern;

/**
 * The NAME of a keyset: 1-64 characters of {@code A-Z a-z 0-9 _ -}.
 *
 * <p>The NAME is the key id ({@code kid}) and the stem of the four file names, so the rule keeps
 * out anything that could escape the config directory (slash, dot) or break a file name or a
 * header (space, unicode).
 */
public final class KeysetName implements Comparable<KeysetName> {

  /** The rule as a regular expression (the console checks names in the page with this very text). */
  public static final String PATTERN = "[A-Za-z0-9_-]{1,64}";
  /** The rule in words: the one message of every refused name, in the CLI, the API and the console. */
  public static final String RULE_MESSAGE = "keyset name must be 1-64 characters of A-Z a-z 0-9 _ -";

  private static final Pattern RULE = Pattern.compile(PATTERN);

  private final String value;

  private KeysetName(String value) {
    this.value = value;
  }

  /**
   * Checks {@code raw} against the rule.
   *
   * @throws InvalidKeysetNameException naming the rule and the refused value
   */
  public static KeysetName of(String raw) {
    if (raw == null || !RULE.matcher(raw).matches()) {
      throw new InvalidKeysetNameException(
          RULE_MESSAGE + " (got: " + describe(raw) + ")");
    }
    return new KeysetName(raw);
  }

  /** Whether {@code raw} would be accepted by {@link #of(String)}. */
  public static boolean isValid(String raw) {
    return raw != null && RULE.matcher(raw).matches();
  }

  public String value() {
    return value;
  }

  // Quote the refused value and cap it, so a huge or odd input cannot flood a log line.
  private static String describe(String raw) {
    if (raw == null) {
      return "null";
    }
    String shown = raw.length() > 80 ? raw.substring(0, 80) + "...(" + raw.length() + " chars)" : raw;
    return "\"" + shown + "\"";
  }

  @Override
  public int compareTo(KeysetName other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeysetName other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
