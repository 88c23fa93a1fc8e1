package io.keepcluster.node.users;

import io.keepcluster.shared.users.UserDirectoryException;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's view of {@code DIR/directory/users.json}: reloaded when the file changes (the
 * {@code user add} command writes it from another process), and kept as it was when a new
 * version cannot be read, so a bad edit never locks everybody out.
 */
public final class FileUserDirectory implements UserLookup {

  private static final Logger LOG = LoggerFactory.getLogger(FileUserDirectory.class);

  private final UserDirectoryFile file;
  private volatile Loaded loaded = new Loaded(null, -1, Map.of());

  private record Loaded(FileTime modified, long size, Map<String, UserRecord> users) {}

  public FileUserDirectory(UserDirectoryFile file) {
    this.file = file;
  }

  @Override
  public Optional<UserRecord> find(String username) {
    return Optional.ofNullable(current().get(username));
  }

  public int size() {
    return current().size();
  }

  private synchronized Map<String, UserRecord> current() {
    Loaded last = loaded;
    FileTime modified;
    long size;
    try {
      modified = Files.getLastModifiedTime(file.path());
      size = Files.size(file.path());
    } catch (NoSuchFileException e) {
      return last.users();
    } catch (IOException e) {
      LOG.warn("event=user_directory_unreadable file={} reason=\"{}\"", file.path(), e.getMessage());
      return last.users();
    }
    if (modified.equals(last.modified()) && size == last.size()) {
      return last.users();
    }
    try {
      Map<String, UserRecord> users = Map.copyOf(file.load());
      loaded = new Loaded(modified, size, users);
      LOG.info("event=user_directory_loaded file={} users={}", file.path(), users.size());
      return users;
    } catch (UserDirectoryException e) {
      LOG.error("event=user_directory_invalid file={} reason=\"{}\" action=keeping_previous",
          file.path(), e.getMessage());
      loaded = new Loaded(modified, size, last.users());
      return last.users();
    }
  }
}
