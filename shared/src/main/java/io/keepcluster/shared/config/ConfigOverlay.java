package io.keepcluster.shared.config;

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

  /** The {@code *.json} files directly in {@code dir}, alphabetically; hidden files are skipped. */
  public static List<Path> overlayFiles(Path dir) throws ConfigFileException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> files = new ArrayList<>(entries
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .toList());
      files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
      return files;
    } catch (IOException e) {
      throw new ConfigFileException(dir.toString(), "cannot list directory: " + e.getMessage());
    }
  }

  /** Reads one overlay file; the exception names the file and the parser's reason. */
  public static JsonObject read(Path file) throws ConfigFileException {
    String name = file.getFileName().toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigFileException(name, "file disappeared while reading");
    } catch (IOException e) {
      throw new ConfigFileException(name, "cannot read: " + e.getMessage());
    }
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
