package io.keepcluster.node.config;

/** The configuration cannot be used; the message is one line an operator can act on. */
public final class ConfigException extends Exception {

  public ConfigException(String message) {
    super(message);
  }
}
