package io.keepcluster.shared.users;

import io.keepcluster.shared.files.SafeFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
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

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code DIR/directory/users.json}: {@code {"users":[{...}, ...]}}.
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
  /** A user record is well under 1 KiB: this is tens of thousands of users. */
  static final long MAX_BYTES = 32L * 1024 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path directory;
  private final Path file;
  private final Path lockFile;

  public UserDirectoryFile(Path configDir) {
    this.directory = Objects.requireNonNull(configDir, "configDir").toAbsolutePath().normalize()
        .resolve("directory");
    this.file = directory.resolve("users.json");
    this.lockFile = directory.resolve(".users.lock");
  }

  public Path path() {
    return file;
  }

  /** All users by username, in file order. A missing file is an empty directory. */
  public Map<String, UserRecord> load() {
    String text;
    try {
      // Regular files only, bounded: a FIFO or device here must not hang a login.
      text = SafeFiles.readText(file, MAX_BYTES);
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      throw new UserDirectoryException(file, "cannot read: " + SafeFiles.reason(e), e);
    }
    return Collections.unmodifiableMap(parse(text));
  }

  /** Adds the user, or replaces the user of the same username. */
  public void upsert(UserRecord user) {
    Objects.requireNonNull(user, "user");
    update("upsert", user.username(), users -> users.put(user.username(), user));
  }

  /** Removes the user if present; removing an unknown user changes nothing. */
  public void remove(String username) {
    Objects.requireNonNull(username, "username");
    update("remove", username, users -> users.remove(username));
  }

  private void update(String action, String username, java.util.function.Consumer<Map<String, UserRecord>> change) {
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
        // Re-read inside the lock: another process may have written since our last load.
        Map<String, UserRecord> users = new LinkedHashMap<>(load());
        change.accept(users);
        write(users);
      }
    } catch (IOException e) {
      throw new UserDirectoryException(file, "cannot " + action + " user: " + SafeFiles.reason(e), e);
    } finally {
      jvmLock.unlock();
    }
    LOG.info("user directory updated action={} user={} file={}", action, username, file);
  }

  private Map<String, UserRecord> parse(String text) {
    JsonObject root;
    try {
      root = new JsonObject(text);
    } catch (DecodeException e) {
      throw new UserDirectoryException(file, "invalid JSON: " + e.getMessage(), e);
    }
    Object usersValue = root.getValue("users");
    if (usersValue == null) {
      return new LinkedHashMap<>();
    }
    if (!(usersValue instanceof JsonArray users)) {
      throw new UserDirectoryException(file, "\"users\" must be an array");
    }
    Map<String, UserRecord> result = new LinkedHashMap<>();
    for (int i = 0; i < users.size(); i++) {
      UserRecord user = parseRecord(users.getValue(i), i);
      if (result.putIfAbsent(user.username(), user) != null) {
        throw new UserDirectoryException(file,
            "users[" + i + "]: duplicate username '" + user.username() + "'");
      }
    }
    return result;
  }

  private UserRecord parseRecord(Object value, int index) {
    if (!(value instanceof JsonObject json)) {
      throw new UserDirectoryException(file, "users[" + index + "]: must be a JSON object");
    }
    try {
      return UserRecord.fromJson(json);
    } catch (InvalidUserException e) {
      throw new UserDirectoryException(file, "users[" + index + "]: " + e.getMessage(), e);
    }
  }

  private void write(Map<String, UserRecord> users) throws IOException {
    JsonArray array = new JsonArray();
    // Sorted, so the file diffs cleanly and every node writes the same bytes for the same users.
    new TreeMap<>(users).values().forEach(user -> array.add(user.toJson()));
    byte[] bytes = (new JsonObject().put("users", array).encodePrettily() + "\n")
        .getBytes(StandardCharsets.UTF_8);

    // Created new (no link followed) and written through the same descriptor.
    Path temp = directory.resolve(".users.json." + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp");
    try {
      try (FileChannel out = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), ownerOnly(false))) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
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
}
