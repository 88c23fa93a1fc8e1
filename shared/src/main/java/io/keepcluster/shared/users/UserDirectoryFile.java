package io.keepcluster.shared.users;

import io.keepcluster.shared.files.SafeFiles;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * {@code DIR/directory/users.json}: {@code {"users":[{...}, ...], "removed":[{"username","version"}]}}.
 * Removed users stay as tombstones (name and version, no hash) so that a copy that still has the
 * user, on another node or in the grid, is recognised as older and cannot bring them back.
 *
 * <p>Readers take no lock: every write replaces the file with an atomic rename, so a reader sees
 * the old or the new file, never half of one. Writers (a running node, and the CLI
 * {@code user add} in another process) serialise on a JVM lock plus an OS lock on
 * {@code directory/.users.lock}, and re-read the file inside the lock so no writer loses
 * another's user. All methods do blocking file I/O: call them from worker threads.
 */
public final class UserDirectoryFile {

  private static final Logger LOG = LoggerFactory.getLogger(UserDirectoryFile.class);

  /**
   * One JVM lock per lock file. {@link FileChannel#lock()} is held per process, and a second
   * lock on the same file from this JVM throws OverlappingFileLockException, so threads (and
   * several instances for one directory) must queue here before asking the OS.
   */
  /** A user takes about 260 bytes in the file: this is about 130,000 users. */
  static final long MAX_BYTES = 32L * 1024 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path directory;
  private final Path file;
  private final Path lockFile;
  private final Clock clock;

  /** What identifies one version of the file on disk: a rename or an edit changes it. */
  public record Stamp(Object fileKey, FileTime modified, long size) {
    public static final Stamp MISSING = new Stamp(null, null, -1);
  }

  /** Work done while holding the directory's locks. */
  @FunctionalInterface
  public interface LockedWork<T> {
    T run() throws IOException;
  }

  public UserDirectoryFile(Path configDir) {
    this(configDir, Clock.systemUTC());
  }

  /** @param clock stamps the version of each change */
  public UserDirectoryFile(Path configDir, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.directory = Objects.requireNonNull(configDir, "configDir").toAbsolutePath().normalize()
        .resolve("directory");
    this.file = directory.resolve("users.json");
    this.lockFile = directory.resolve(".users.lock");
  }

  public Path path() {
    return file;
  }

  /** All users (active and disabled) by username, in file order. A missing file is an empty directory. */
  public Map<String, UserRecord> load() {
    Map<String, UserRecord> users = new LinkedHashMap<>();
    entries().forEach((name, entry) -> entry.record().ifPresent(user -> users.put(name, user)));
    return Collections.unmodifiableMap(users);
  }

  /** Users and tombstones by username. A missing file is an empty directory. */
  public Map<String, UserEntry> entries() {
    try {
      // Regular files only, bounded: a FIFO or device here must not hang a login.
      long size = SafeFiles.checkRegular(file).size();
      if (size > MAX_BYTES) {
        throw SafeFiles.tooLarge(file.getFileName().toString(), size, MAX_BYTES);
      }
      // Parsed as it is read (the file may have grown since the check: the stream stops at the bound).
      try (InputStream in = new BoundedInput(Files.newInputStream(file, StandardOpenOption.READ), MAX_BYTES,
          file.getFileName().toString())) {
        return Collections.unmodifiableMap(UsersJson.read(new BufferedInputStream(in, 64 * 1024), file));
      }
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      throw new UserDirectoryException(file, "cannot read: " + SafeFiles.reason(e), e);
    }
  }

  /**
   * Adds the user, or replaces the user (or tombstone) of the same username. A replacement gets a
   * version past the one it replaces, so every node takes it as the newer change.
   */
  public void upsert(UserRecord user) {
    Objects.requireNonNull(user, "user");
    edit("upsert", user.username(), entries -> {
      UserEntry before = entries.get(user.username());
      UserRecord stamped = before == null ? user
          : user.withVersion(Math.max(user.version(), before.nextVersion(clock.millis())));
      entries.put(user.username(), UserEntry.of(stamped));
      return true;
    });
  }

  /**
   * Replaces the user by a tombstone newer than it; answers false (and changes nothing) when
   * there is no such user.
   */
  public boolean remove(String username) {
    Objects.requireNonNull(username, "username");
    return edit("remove", username, entries -> {
      UserEntry before = entries.get(username);
      if (before == null || before.removed()) {
        return false;
      }
      entries.put(username, UserEntry.tombstone(username, before.nextVersion(clock.millis())));
      return true;
    });
  }

  /**
   * Reads the entries inside the locks, lets {@code change} edit them, and writes them back (one
   * atomic replace) when it answers true. Answers what {@code change} answered.
   */
  public boolean edit(String action, String username, java.util.function.Predicate<Map<String, UserEntry>> change) {
    boolean changed = withLock(() -> {
      // Re-read inside the lock: another process may have written since our last load.
      Map<String, UserEntry> entries = new LinkedHashMap<>(entries());
      if (!change.test(entries)) {
        return false;
      }
      write(entries.values());
      return true;
    });
    if (changed) {
      LOG.info("user directory updated action={} user={} file={}", action, username, file);
    }
    return changed;
  }

  /** The current version of the file on disk ({@link Stamp#MISSING} when there is none). */
  public Stamp stamp() {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      return new Stamp(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
    } catch (NoSuchFileException e) {
      return Stamp.MISSING;
    } catch (IOException e) {
      throw new UserDirectoryException(file, "cannot read: " + SafeFiles.reason(e), e);
    }
  }

  /**
   * Runs {@code work} holding this JVM's and the OS's lock on the directory, so no other writer
   * (the CLI in another process, another thread) changes the file meanwhile.
   */
  public <T> T withLock(LockedWork<T> work) {
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
    jvmLock.lock();
    try {
      createDirectory();
      if (Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)
          && !Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(lockFile.getFileName() + " is not a regular file (a link or special"
            + " file is never followed or opened; remove it)");
      }
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
          var osLock = channel.lock()) {
        return work.run();
      }
    } catch (IOException e) {
      throw new UserDirectoryException(file, "cannot update users: " + SafeFiles.reason(e), e);
    } finally {
      jvmLock.unlock();
    }
  }

  /**
   * Replaces the file with {@code entries} in one atomic move (temp file, fsync, rename; 0600).
   * Call inside {@link #withLock}.
   */
  public void write(Collection<UserEntry> entries) throws IOException {
    createDirectory();
    writeFile(entries);
  }

  private void writeFile(Collection<UserEntry> entries) throws IOException {
    // Sorted, so the file diffs cleanly and every node writes the same bytes for the same users.
    Map<String, UserEntry> sorted = new TreeMap<>();
    entries.forEach(entry -> sorted.put(entry.username(), entry));

    // Created new (no link followed) and written through the same descriptor.
    Path temp = directory.resolve(".users.json." + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp");
    try {
      try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), ownerOnly(false))) {
        // Streamed: the text of 100,000 users is never one string in the heap.
        OutputStream stream = new BufferedOutputStream(Channels.newOutputStream(out), 64 * 1024);
        UsersJson.write(stream, sorted.values());
        stream.flush();
        out.force(true); // on disk before the rename makes it visible
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private void createDirectory() throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    Files.createDirectories(directory.getParent());
    try {
      Files.createDirectory(directory, ownerOnly(true));
    } catch (FileAlreadyExistsException e) {
      // Another process created it first: fine.
    }
  }

  /** rw------- for files and rwx------ for the folder: the hashes are for this account only. */
  private FileAttribute<?>[] ownerOnly(boolean dir) {
    if (!directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(dir ? "rwx------" : "rw-------"))
    };
  }

  /** Fails once more than {@code max} bytes were read: the file grew past the bound while being read. */
  private static final class BoundedInput extends java.io.FilterInputStream {
    private final long max;
    private final String name;
    private long read;

    BoundedInput(InputStream in, long max, String name) {
      super(in);
      this.max = max;
      this.name = name;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count(Math.max(n, 0));
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > max) {
        throw new io.keepcluster.shared.files.RefusedFileException(name, "file too large (more than " + max
            + " bytes, at most " + max + ")");
      }
    }
  }
}
