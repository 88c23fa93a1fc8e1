package io.keepcluster.shared.config;

/**
 * A configuration file that cannot be used: names the file and the reason, so an operator can
 * fix it without reading a stack trace.
 */
public final class ConfigFileException extends Exception {

  private final String fileName;
  private final String reason;

  public ConfigFileException(String fileName, String reason) {
    super(fileName + ": " + reason);
    this.fileName = fileName;
    this.reason = reason;
  }

  public String fileName() {
    return fileName;
  }

  public String reason() {
    return reason;
  }
}
