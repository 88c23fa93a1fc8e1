package io.keepcluster.shared.keys;

import io.keepcluster.shared.files.SafeFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The contents of one keyset's files, as text: {@code NAME.json} (descriptor),
 * {@code NAME.cert.pem} (may be absent), {@code NAME.private.key.pem}, {@code NAME.public.key.pem}.
 *
 * <p>This is the unit that is generated, replicated across the cluster and written to disk.
 * {@link #toString()} never shows the private key.
 */
public record KeysetFiles(KeysetName name, String descriptorJson, String certificatePem,
             String privateKeyPem, String publicKeyPem) {

  /** Temporary files start with "." and end with ".tmp", so directory watchers can skip them. */
  public static final String TEMP_PREFIX = ".";
  public static final String TEMP_SUFFIX = ".tmp";

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

  public KeysetFiles {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(descriptorJson, "descriptorJson");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    Objects.requireNonNull(publicKeyPem, "publicKeyPem");
  }

  public static String descriptorFileName(KeysetName name) {
    return name.value() + ".json";
  }

  public static String certificateFileName(KeysetName name) {
    return name.value() + ".cert.pem";
  }

  public static String privateKeyFileName(KeysetName name) {
    return name.value() + ".private.key.pem";
  }

  public static String publicKeyFileName(KeysetName name) {
    return name.value() + ".public.key.pem";
  }

  /** The four file names of {@code name}, descriptor last (the order they are written in). */
  public static List<String> fileNames(KeysetName name) {
    return List.of(certificateFileName(name), privateKeyFileName(name), publicKeyFileName(name),
        descriptorFileName(name));
  }

  /**
   * Deletes the four files of {@code name} from {@code dir}, the descriptor first, so a watcher
   * never sees a descriptor whose key files are already gone. Missing files are fine.
   */
  public static void deleteFrom(Path dir, KeysetName name) throws IOException {
    Files.deleteIfExists(dir.resolve(descriptorFileName(name)));
    for (String file : fileNames(name)) {
      Files.deleteIfExists(dir.resolve(file));
    }
  }

  /**
   * Writes the files into {@code dir}, each atomically (temp file in {@code dir}, then an atomic
   * rename), the descriptor last, so a watcher that reacts to {@code NAME.json} always finds the
   * key files complete. The private key file is created with mode 0600 before any byte of the
   * key is written (on POSIX file systems).
   *
   * @throws KeysetExistsException if any {@code NAME.*} file of the four exists already, or
   *         another writer is creating the same NAME; nothing is changed then
   * @throws IOException if writing fails; files written so far by this call are removed
   */
  public void writeTo(Path dir) throws IOException {
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    // An exclusive claim on the NAME, so two writers in the same directory cannot both pass
    // the existence check below and then overwrite each other with the atomic rename. An OS
    // file lock, not the file's existence, is the claim: a writer that crashed leaves at most
    // an unlocked, ignorable ".NAME.claim.tmp" and never blocks the NAME forever.
    Path claim = dir.resolve(TEMP_PREFIX + name.value() + ".claim" + TEMP_SUFFIX);
    try (FileChannel channel = openClaim(claim);
      FileLock lock = tryLock(channel)) {
      if (lock == null) { // the claim belongs to the other writer: leave it alone
        throw new KeysetExistsException(name, descriptorFileName(name),
            "keyset " + name + " is being written by another writer");
      }
      try {
        writeClaimed(dir, posix);
      } finally {
        Files.deleteIfExists(claim); // while still holding the lock (a planted link is only unlinked)
      }
    }
  }

  /**
   * Opens (creating if absent) the claim file without ever following a symbolic link: a link
   * planted under the claim's name fails the write, and nothing is created at its target. Not
   * {@code CREATE_NEW}: a writer that crashed leaves an unlocked claim file, which must not block
   * the NAME forever. Anything but a regular file there is refused before it is opened (opening
   * a FIFO for writing would block until a reader appears).
   */
  private static FileChannel openClaim(Path claim) throws IOException {
    String file = claim.getFileName().toString();
    if (Files.exists(claim, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.isSymbolicLink(claim)) {
        throw new IOException("refusing to write: " + file + " in the config folder is a symbolic link;"
            + " it is never followed (remove it)");
      }
      if (!Files.isRegularFile(claim, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("refusing to write: " + file + " in the config folder is not a regular file (remove it)");
      }
    }
    try {
      return FileChannel.open(claim, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
    } catch (FileSystemException e) {
      // ELOOP: a link appeared after the check.
      throw new IOException("refusing to write: cannot open " + file + " without following links ("
          + SafeFiles.reason(e) + ")", e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // another thread of this JVM holds it
    }
  }

  private void writeClaimed(Path dir, boolean posix) throws IOException {
    List<Path> written = new ArrayList<>();
    boolean complete = false;
    try {
      for (String file : fileNames(name)) {
        if (Files.exists(dir.resolve(file), LinkOption.NOFOLLOW_LINKS)) {
          throw new KeysetExistsException(name, file, "keyset " + name + " exists already; it is never overwritten");
        }
      }
      if (certificatePem != null) {
        written.add(writeAtomically(dir, certificateFileName(name), certificatePem, posix, WORLD_READABLE));
      }
      written.add(writeAtomically(dir, privateKeyFileName(name), privateKeyPem, posix, OWNER_ONLY));
      written.add(writeAtomically(dir, publicKeyFileName(name), publicKeyPem, posix, WORLD_READABLE));
      written.add(writeAtomically(dir, descriptorFileName(name), descriptorJson, posix, WORLD_READABLE));
      complete = true;
    } finally {
      if (!complete) {
        for (Path path : written) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  private static Path writeAtomically(Path dir, String file, String content, boolean posix,
                    Set<PosixFilePermission> mode) throws IOException {
    // The temp file gets its final mode at creation, so a private key is never readable by
    // others, and is created (CREATE_NEW, no link followed) and written through one descriptor.
    FileAttribute<?>[] attrs = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    Path tmp = dir.resolve(TEMP_PREFIX + file + "." + Long.toUnsignedString(RANDOM.nextLong()) + TEMP_SUFFIX);
    boolean created = false;
    try {
      SafeFiles.createNew(tmp, content, attrs);
      created = true;
      if (posix && !mode.equals(OWNER_ONLY)) {
        Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setPermissions(mode);
      }
      Path target = dir.resolve(file);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } finally {
      if (created) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  @Override
  public String toString() {
    return "KeysetFiles[name=" + name
        + ", certificate=" + (certificatePem == null ? "absent" : "present")
        + ", privateKey=(redacted)"
        + ", publicKeyPem.length=" + publicKeyPem.length() + "]";
  }
}
