package io.keepcluster.node.keys;

import io.keepcluster.shared.config.ConfigFileException;
import io.keepcluster.shared.config.ConfigOverlay;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetDescriptor;
import io.keepcluster.shared.keys.KeysetLoadException;
import io.keepcluster.shared.keys.KeysetLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads every keyset descriptor in the config folder and loads its keyset. Results are cached by
 * the descriptor's text and the type, size and modification time of each entry in the folder, so
 * the periodic rescan costs a directory listing when nothing changed. Blocking; one thread at a time.
 *
 * <p>Files are read through {@link ConfigOverlay#readText} and {@link KeysetLoader}, which open
 * regular files only (a symbolic link is followed to its target, which must be a regular file) of
 * bounded size: a FIFO, device, socket or directory, or a file over the cap for its kind, is a
 * problem of that file (by name), never a hang or an {@link OutOfMemoryError}. Anything a single
 * file still throws is that file's problem too; the other keysets load.
 */
public final class KeysetScanner implements FolderScanner {

  private final Path dir;
  private final KeysetLoader loader = new KeysetLoader();
  private final Map<String, Cached> cache = new HashMap<>();

  private record Cached(String stamp, Optional<String> describedKid, Optional<Keyset> keyset,
      String problemFile, String problem) {}

  private KeysetScan last;
  private String lastFolderStamp;

  public KeysetScanner(Path dir) {
    this.dir = dir;
  }

  /** A scanner of the same folder with nothing cached, for a restart that must not share state. */
  @Override
  public KeysetScanner fresh() {
    return new KeysetScanner(dir);
  }

  @Override
  public Path dir() {
    return dir;
  }

  @Override
  public KeysetScan scan() {
    long started = System.nanoTime();
    String folderStamp = folderStamp();
    if (last != null && folderStamp.equals(lastFolderStamp)) {
      // Nothing in the folder changed since the last look: no file needs reading again.
      return new KeysetScan(last.loaded(), last.described(), last.problems(), started);
    }
    Map<String, Keyset> loaded = new HashMap<>();
    Set<String> described = new HashSet<>();
    Map<String, String> problems = new HashMap<>();
    Set<String> seen = new HashSet<>();
    try {
      for (Path file : ConfigOverlay.overlayFiles(dir)) {
        String fileName = file.getFileName().toString();
        seen.add(fileName);
        String text;
        try {
          text = ConfigOverlay.readText(file);
        } catch (ConfigFileException e) {
          problems.put(fileName, e.reason());
          cache.remove(fileName);
          continue;
        }
        String stamp = text + '\0' + folderStamp;
        Cached cached = cache.get(fileName);
        if (cached == null || !cached.stamp().equals(stamp)) {
          cached = load(fileName, text, stamp);
          cache.put(fileName, cached);
        }
        if (cached.problem() != null) {
          problems.put(cached.problemFile(), cached.problem());
        }
        cached.describedKid().ifPresent(described::add);
        cached.keyset().ifPresent(k -> loaded.put(k.kid(), k));
      }
    } catch (ConfigFileException e) {
      problems.put(e.fileName(), e.reason());
    }
    cache.keySet().retainAll(seen);
    last = new KeysetScan(loaded, described, problems, started);
    lastFolderStamp = folderStamp;
    return last;
  }

  private Cached load(String fileName, String text, String stamp) {
    Optional<String> describedKid = KeysetDescriptorName.of(fileName, text);
    try {
      Optional<KeysetDescriptor> descriptor = KeysetDescriptor.parse(fileName, text);
      if (descriptor.isEmpty()) {
        // A config overlay, not a keyset: still report it if it is not valid config JSON.
        return new Cached(stamp, describedKid, Optional.empty(), null, null);
      }
      return new Cached(stamp, describedKid, Optional.of(loader.load(dir, descriptor.get())), null, null);
    } catch (KeysetLoadException e) {
      String problemFile = e.fileName() != null ? e.fileName() : fileName;
      return new Cached(stamp, describedKid, Optional.empty(), problemFile, e.reason());
    } catch (RuntimeException | StackOverflowError e) {
      // A parser bug or a pathological file: this descriptor's problem, not the whole scan's.
      return new Cached(stamp, describedKid, Optional.empty(), fileName,
          "cannot load (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Type, size, modification time and readability of every non-hidden entry (a link's target's):
   * any change to a key file (or a permission fix, or a FIFO replaced by a file) changes it.
   * Only metadata is read, so a FIFO or device costs nothing here.
   */
  private String folderStamp() {
    StringBuilder stamp = new StringBuilder();
    try (var entries = Files.list(dir)) {
      entries.filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .forEach(p -> {
            stamp.append(p.getFileName()).append(':');
            try {
              BasicFileAttributes attributes = Files.readAttributes(p, BasicFileAttributes.class);
              stamp.append(attributes.isRegularFile() ? 'f' : attributes.isDirectory() ? 'd' : 'o')
                  .append(':').append(attributes.size()).append(':')
                  .append(attributes.lastModifiedTime().toInstant()).append(':')
                  .append(attributes.fileKey()).append(':')
                  .append(attributes.isRegularFile() && Files.isReadable(p)).append(';');
            } catch (IOException e) {
              stamp.append("?;");
            }
          });
    } catch (IOException e) {
      return "unlistable";
    }
    return stamp.toString();
  }
}
