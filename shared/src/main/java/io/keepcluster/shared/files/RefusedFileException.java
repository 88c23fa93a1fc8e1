package io.keepcluster.shared.files;

import java.io.IOException;

/**
 * A file in the config folder that the node will not read: not a regular file, or larger than
 * its kind may be. The message is {@link #reason()} alone (never a path), fit for {@code /health}.
 */
public final class RefusedFileException extends IOException {

  private final String fileName;
  private final String reason;

  public RefusedFileException(String fileName, String reason) {
    super(reason);
    this.fileName = fileName;
    this.reason = reason;
  }

  /** The file's name (no directory). */
  public String fileName() {
    return fileName;
  }

  /** Why it is refused, e.g. {@code not a regular file (fifo)}. */
  public String reason() {
    return reason;
  }
}
