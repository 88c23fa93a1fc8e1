package io.keepcluster.shared.keys;

/**
 * A keyset could not be loaded: which file (when known) and why, in words an operator can act on.
 *
 * <p>Checked on purpose: every caller must decide what a broken keyset means for it (the node
 * reports it and keeps every other keyset working). Messages never contain key material.
 */
public final class KeysetLoadException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String fileName;
  private final String reason;

  public KeysetLoadException(String fileName, String reason) {
    super(fileName == null ? reason : fileName + ": " + reason);
    this.fileName = fileName;
    this.reason = reason;
  }

  /** A failure that is not tied to one file (yet). */
  public KeysetLoadException(String reason) {
    this(null, reason);
  }

  /** The file name (not the full path) the problem is in, or {@code null} if not file-specific. */
  public String fileName() {
    return fileName;
  }

  /** The human reason, naming the broken rule. */
  public String reason() {
    return reason;
  }

  /** This failure attributed to {@code file}, unless it already names a file. */
  KeysetLoadException inFile(String file) {
    if (fileName != null) {
      return this;
    }
    KeysetLoadException attributed = new KeysetLoadException(file, reason);
    attributed.setStackTrace(getStackTrace());
    return attributed;
  }
}
