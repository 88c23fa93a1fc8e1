package io.keepcluster.node.keys;

import io.keepcluster.shared.config.ConfigFileException;
import io.keepcluster.shared.config.ConfigOverlay;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetDescriptor;
import io.keepcluster.shared.keys.KeysetLoadException;
import io.keepcluster.shared.keys.KeysetLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads every keyset descriptor in the config folder and loads its keyset. Results are cached by
 * the descriptor's text and the size and modification time of each file in the folder, so the
 * periodic rescan costs a directory listing when nothing changed. Blocking; one thread at a time.
 */
public final class KeysetScanner {

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

  public Path dir() {
    return dir;
  }

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
          text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
          problems.put(fileName, "cannot read: " + e.getMessage());
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
    }
  }

  /**
   * Size, modification time and readability of every regular, non-hidden file: any change to a
   * key file (or a permission fix) changes it.
   */
  private String folderStamp() {
    StringBuilder stamp = new StringBuilder();
    try (var entries = Files.list(dir)) {
      entries.filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(p -> {
            try {
              stamp.append(p.getFileName()).append(':').append(Files.size(p)).append(':')
                  .append(Files.getLastModifiedTime(p).toInstant()).append(':')
                  .append(Files.isReadable(p)).append(';');
            } catch (IOException e) {
              stamp.append(p.getFileName()).append(":?;");
            }
          });
    } catch (IOException e) {
      return "unlistable";
    }
    return stamp.toString();
  }
}
