package io.keepcluster.node.management;

import io.keepcluster.shared.config.ConfigFileException;
import io.keepcluster.shared.config.ConfigOverlay;
import io.keepcluster.shared.config.EnvironmentOverlay;
import io.keepcluster.shared.config.KeysetDescriptors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /api/config}: the effective configuration as the folder and the environment give it
 * now, one entry per value with the layer it came from (DRAPI's "Config src"): {@code defaults},
 * a file name, or {@code environment}. The same merge as {@link ConfigOverlay#effective}: objects
 * merge key by key, anything else (arrays included) is replaced by the later layer. Secrets are
 * masked by key name, so a new secret setting is hidden unless it is named like none of them.
 * Blocking (reads the folder).
 */
final class ConfigSources {

  static final String MASK = "********";
  /** Key fragments that mark a secret (compared lower-case, without separators). */
  private static final Set<String> SECRET_WORDS = Set.of("secret", "password", "privatekey", "credential",
      "token");
  /** Sections whose every value is secret. */
  private static final Set<String> SECRET_SECTIONS = Set.of("managementAccounts");

  private record Value(Object value, String source) {}

  private final Path configDir;
  private final Map<String, String> env;
  private final ConfigOverlay overlay;

  ConfigSources(Path configDir, Map<String, String> env, ConfigOverlay overlay) {
    this.configDir = configDir;
    this.env = Map.copyOf(env);
    this.overlay = overlay;
  }

  JsonObject describe() throws ConfigFileException {
    Map<String, Value> values = new TreeMap<>();
    collect(values, "", overlay.defaults(), "defaults");
    for (Path file : ConfigOverlay.overlayFiles(configDir)) {
      JsonObject layer = ConfigOverlay.read(file);
      if (!KeysetDescriptors.isDescriptor(layer)) {
        collect(values, "", layer, file.getFileName().toString());
      }
    }
    collect(values, "", EnvironmentOverlay.from(env), "environment");
    JsonArray entries = new JsonArray();
    values.forEach((key, value) -> {
      boolean secret = isSecret(key);
      entries.add(new JsonObject().put("key", key).put("value", secret ? MASK : value.value())
          .put("source", value.source()).put("masked", secret));
    });
    return new JsonObject().put("entries", entries);
  }

  /** A later layer's object merges into what is there; any other value replaces the whole subtree. */
  private static void collect(Map<String, Value> values, String prefix, JsonObject layer, String source) {
    for (String name : layer.fieldNames()) {
      String key = prefix.isEmpty() ? name : prefix + "." + name;
      Object value = layer.getValue(name);
      if (value instanceof JsonObject object && !object.isEmpty()) {
        values.remove(key);
        collect(values, key, object, source);
      } else if (value instanceof JsonObject && values.keySet().stream().anyMatch(k -> k.startsWith(key + "."))) {
        continue; // an empty object merges nothing into what is there
      } else {
        values.keySet().removeIf(existing -> existing.startsWith(key + "."));
        values.put(key, new Value(value instanceof JsonObject o ? o.copy() : value, source));
      }
    }
  }

  static boolean isSecret(String key) {
    for (String section : SECRET_SECTIONS) {
      if (key.equals(section) || key.startsWith(section + ".")) {
        return true;
      }
    }
    String last = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    if (last.endsWith("file") || last.endsWith("path")) {
      return false; // a file name is not the secret it holds
    }
    // "hash" only as the end of a key: a password hash, not a setting such as hashingThreads.
    return last.endsWith("hash") || last.endsWith("hashes") || SECRET_WORDS.stream().anyMatch(last::contains);
  }
}
