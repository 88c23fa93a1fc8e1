package io.keepcluster.shared.config;

import io.keepcluster.shared.files.RefusedFileException;
import io.keepcluster.shared.files.SafeFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds the effective configuration the way DRAPI does: defaults shipped in the jar, then every
 * {@code DIR/*.json} in alphabetical order, then environment variables.
 *
 * <p>Keyset descriptors ({@code "JwtUsePubPrivKey": true}) are also {@code *.json} files in the
 * same folder, but they describe one key each; merging them would let the last keyset's
 * {@code JwtIssuer} silently replace the cluster's own issuer, so they are left to the keyset
 * loader.
 */
public final class ConfigOverlay {

  public static final String DEFAULTS_RESOURCE = "/keepcluster-defaults.json";

  private final JsonObject defaults;

  public ConfigOverlay(JsonObject defaults) {
    this.defaults = defaults.copy();
  }

  /** The overlay whose base is the defaults shipped in the jar. */
  public static ConfigOverlay withBundledDefaults() {
    try (InputStream in = ConfigOverlay.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing " + DEFAULTS_RESOURCE + " in the jar");
      }
      return new ConfigOverlay(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
    }
  }

  public JsonObject defaults() {
    return defaults.copy();
  }

  /**
   * Effective config for {@code dir} and {@code env}.
   *
   * @throws ConfigFileException naming the first file that is not valid JSON (or not an object)
   */
  public JsonObject effective(Path dir, Map<String, String> env) throws ConfigFileException {
    JsonObject result = defaults.copy();
    for (Path file : overlayFiles(dir)) {
      JsonObject overlay = read(file);
      if (!KeysetDescriptors.isDescriptor(overlay)) {
        result = JsonMerge.merge(result, overlay);
      }
    }
    return JsonMerge.merge(result, EnvironmentOverlay.from(env));
  }

  /**
   * The {@code *.json} entries directly in {@code dir}, alphabetically; hidden files are skipped.
   * Entries that are not regular files (a directory or FIFO named {@code X.json}, a link to a
   * device) are listed too, so that {@link #read} refuses them by name instead of skipping them
   * silently.
   */
  public static List<Path> overlayFiles(Path dir) throws ConfigFileException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> files = new ArrayList<>(entries
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .toList());
      files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
      return files;
    } catch (IOException e) {
      throw new ConfigFileException(String.valueOf(dir.getFileName()),
          "cannot list the config folder: " + SafeFiles.reason(e));
    }
  }

  /**
   * Reads one overlay file: a regular file (or a link to one) of at most
   * {@link SafeFiles#MAX_JSON_BYTES}. The exception names the file and the reason, never a path.
   */
  public static JsonObject read(Path file) throws ConfigFileException {
    return parse(file.getFileName().toString(), readText(file));
  }

  /**
   * The text of one overlay file, with the same checks as {@link #read}: FIFOs, devices, sockets
   * and directories are refused unopened, bigger files unread.
   */
  public static String readText(Path file) throws ConfigFileException {
    String name = file.getFileName().toString();
    try {
      return SafeFiles.readText(file, SafeFiles.MAX_JSON_BYTES);
    } catch (RefusedFileException e) {
      throw new ConfigFileException(name, e.reason());
    } catch (NoSuchFileException e) {
      throw new ConfigFileException(name, "file disappeared while reading");
    } catch (IOException e) {
      throw new ConfigFileException(name, "cannot read: " + SafeFiles.reason(e));
    }
  }

  /** Parses the text of the overlay file {@code name}. */
  public static JsonObject parse(String name, String text) throws ConfigFileException {
    if (text.isBlank()) {
      throw new ConfigFileException(name, "empty file, expected a JSON object");
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigFileException(name, "invalid JSON: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "not a JSON object";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
