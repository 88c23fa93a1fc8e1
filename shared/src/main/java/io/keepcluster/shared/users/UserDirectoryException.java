package io.keepcluster.shared.users;

import java.nio.file.Path;

/**
 * The user directory file cannot be read, parsed or written. Carries the file so logs and CLI
 * messages can name it.
 */
public final class UserDirectoryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public UserDirectoryException(Path file, String reason, Throwable cause) {
    super(file + ": " + reason, cause);
    this.file = file;
  }

  public UserDirectoryException(Path file, String reason) {
    this(file, reason, null);
  }

  public Path file() {
    return file;
  }
}
