package io.keepcluster.node.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Reads {@link ServerSettings} from the merged JSON, naming the key and the rule on any error. */
final class ServerSettingsParser {

  static final String DRAIN = "shutdownDrainSeconds";
  /** Longer than any load balancer's health-check interval times its failure threshold. */
  static final int MAX_DRAIN_SECONDS = 3600;

  private ServerSettingsParser() {}

  static ServerSettings parse(Path configDir, JsonObject raw) throws ConfigException {
    return new ServerSettings(address(raw, "MANAGEMENT_BIND"), address(raw, "METRICS_BIND"),
        tls(configDir, raw.getValue("TLS")), Duration.ofSeconds(drain(raw.getValue(DRAIN))));
  }

  private static String address(JsonObject raw, String key) throws ConfigException {
    Object value = raw.getValue(key);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new ConfigException(key + " must be a non-empty string, an address like 127.0.0.1 or 0.0.0.0"
          + " (got: " + value + ")");
    }
    return s.trim();
  }

  private static int drain(Object value) throws ConfigException {
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
        || number.doubleValue() < 0 || number.doubleValue() > MAX_DRAIN_SECONDS) {
      throw new ConfigException(DRAIN + " (env KEEP_SHUTDOWN_DRAIN_SECONDS) must be an integer between 0 and "
          + MAX_DRAIN_SECONDS + " (got: " + value + ")");
    }
    return number.intValue();
  }

  /** Absent or null: plain HTTP. Otherwise both files, relative paths under the config folder. */
  private static Optional<TlsFiles> tls(Path configDir, Object value) throws ConfigException {
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof JsonObject json)) {
      throw new ConfigException("TLS must be an object {\"certFile\": \"...\", \"keyFile\": \"...\"} (got: "
          + value + ")");
    }
    for (String key : json.fieldNames()) {
      if (!key.equals("certFile") && !key.equals("keyFile")) {
        throw new ConfigException("TLS." + key + " is not a TLS setting; TLS takes certFile and keyFile");
      }
    }
    return Optional.of(new TlsFiles(file(configDir, json, "certFile", "KEEP_TLS_CERT_FILE"),
        file(configDir, json, "keyFile", "KEEP_TLS_KEY_FILE")));
  }

  private static Path file(Path configDir, JsonObject json, String key, String env) throws ConfigException {
    Object value = json.getValue(key);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new ConfigException("TLS." + key + " (env " + env + ") must be the path of a PEM file:"
          + " TLS needs both certFile and keyFile (got: " + value + ")");
    }
    try {
      Path path = Path.of(text.trim());
      return path.isAbsolute() ? path : configDir.resolve(path);
    } catch (InvalidPathException e) {
      throw new ConfigException("TLS." + key + " is not a valid path (got: " + text + "): " + e.getReason());
    }
  }
}
