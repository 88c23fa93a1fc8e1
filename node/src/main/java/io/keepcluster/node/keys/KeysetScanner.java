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
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads every keyset descriptor in the config folder and loads its keyset. Each descriptor's
 * result is cached by its own text and the type, size, modification time and readability of the
 * files IT names (every place the loader could find them), so a change reloads only the keysets
 * whose files changed; the periodic rescan costs a directory listing when nothing changed at all.
 * Blocking; one thread at a time.
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

  /**
   * One descriptor's result.
   *
   * @param text the descriptor's text when it was loaded
   * @param files the paths the descriptor names, as the loader would look for them
   * @param filesStamp the metadata of {@code files}, taken before they were read
   */
  private record Cached(String text, List<Path> files, String filesStamp, Optional<String> describedKid,
      Optional<Keyset> keyset, String problemFile, String problem) {}

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
      return last.again(started);
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
        Cached cached = cache.get(fileName);
        if (cached == null || !cached.text().equals(text) || !cached.filesStamp().equals(stamp(cached.files()))) {
          cached = load(fileName, text);
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

  private Cached load(String fileName, String text) {
    Optional<String> describedKid = KeysetDescriptorName.of(fileName, text);
    List<Path> files = List.of();
    String filesStamp = "";
    try {
      Optional<KeysetDescriptor> descriptor = KeysetDescriptor.parse(fileName, text);
      if (descriptor.isEmpty()) {
        // A config overlay, not a keyset: still report it if it is not valid config JSON.
        return new Cached(text, files, filesStamp, describedKid, Optional.empty(), null, null);
      }
      files = namedFiles(descriptor.get());
      filesStamp = stamp(files); // before reading: a file changed during the load is loaded again
      return new Cached(text, files, filesStamp, describedKid, Optional.of(loader.load(dir, descriptor.get())),
          null, null);
    } catch (KeysetLoadException e) {
      String problemFile = e.fileName() != null ? e.fileName() : fileName;
      return new Cached(text, files, filesStamp, describedKid, Optional.empty(), problemFile, e.reason());
    } catch (RuntimeException | StackOverflowError e) {
      // A parser bug or a pathological file: this descriptor's problem, not the whole scan's.
      return new Cached(text, files, filesStamp, describedKid, Optional.empty(), fileName,
          "cannot load (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Every path the loader may read for this descriptor's key and certificate files. */
  private List<Path> namedFiles(KeysetDescriptor descriptor) {
    List<Path> files = new ArrayList<>();
    for (String given : new String[] {descriptor.privateKeyFile(), descriptor.publicKeyFile(),
        descriptor.certFile()}) {
      if (given != null) {
        try {
          files.addAll(KeysetLoader.candidatePaths(dir, given));
        } catch (RuntimeException e) {
          // An unusable path: the loader refuses it by name; nothing to stamp.
        }
      }
    }
    return List.copyOf(files);
  }

  /** Metadata of {@code files} (a link's target's): any change that could change what loads. */
  private static String stamp(List<Path> files) {
    if (files.isEmpty()) {
      return "";
    }
    StringBuilder stamp = new StringBuilder();
    for (Path file : files) {
      appendAttributes(stamp, file);
    }
    return stamp.toString();
  }

  private static void appendAttributes(StringBuilder stamp, Path p) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(p, BasicFileAttributes.class);
      stamp.append(attributes.isRegularFile() ? 'f' : attributes.isDirectory() ? 'd' : 'o')
          .append(':').append(attributes.size()).append(':')
          .append(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)).append(':')
          .append(attributes.fileKey()).append(':')
          .append(attributes.isRegularFile() && Files.isReadable(p)).append(';');
    } catch (IOException e) {
      // Missing, or a dangling link (which the loader finds and refuses by name).
      stamp.append(Files.isSymbolicLink(p) ? "l;" : "?;");
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
      // Listing order, not sorted: it is stable while the folder is unchanged, and a reordering
      // only costs one scan that finds nothing new. Sorting 4,000 entries every rescan was a
      // visible part of an idle node's CPU.
      entries.filter(p -> !p.getFileName().toString().startsWith("."))
          .forEach(p -> {
            stamp.append(p.getFileName()).append(':');
            appendAttributes(stamp, p);
          });
    } catch (IOException e) {
      return "unlistable";
    }
    return stamp.toString();
  }
}
