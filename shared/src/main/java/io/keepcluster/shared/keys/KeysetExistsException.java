package io.keepcluster.shared.keys;

import java.nio.file.FileAlreadyExistsException;

/**
 * A keyset NAME is already taken in the target directory (or is being written by another writer
 * right now). Existing keysets are never overwritten: one NAME means one key pair.
 */
public final class KeysetExistsException extends FileAlreadyExistsException {

  private static final long serialVersionUID = 1L;

  private final KeysetName name;

  KeysetExistsException(KeysetName name, String file, String reason) {
    super(file, null, reason);
    this.name = name;
  }

  public KeysetName name() {
    return name;
  }
}
