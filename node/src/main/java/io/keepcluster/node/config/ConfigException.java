package io.keepcluster.node.config;

/** The configuration cannot be used; the message is one line an operator can act on. */
public final class ConfigException extends Exception {

  public ConfigException(String message) {
    super(message);
  }

  /**
   * The line the start prints after {@code keepcluster: } and the reload check reports on
   * {@code /health}: the same words in both places. Only the first line, should a parser's
   * message carry more.
   */
  public String line() {
    String message = getMessage();
    return message == null ? "" : message.lines().findFirst().orElse("").strip();
  }
}
