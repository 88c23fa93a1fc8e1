package io.keepcluster.node.logging;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The node's logging choices: the format of every line and an optional audit file. The
 * environment ({@code KEEP_LOG_FORMAT}, {@code KEEP_AUDIT_FILE}) decides at start, before any
 * config is read; the config keys {@code logFormat} and {@code auditFile} apply once the
 * config is loaded, and the environment still wins over them, as for every other key.
 *
 * @param auditFile where audit events are appended besides the log stream, if anywhere
 */
public record LogSettings(LogFormat format, Optional<Path> auditFile) {

  public static final String FORMAT_ENV = "KEEP_LOG_FORMAT";
  public static final String AUDIT_FILE_ENV = "KEEP_AUDIT_FILE";
  public static final String FORMAT_KEY = "logFormat";
  public static final String AUDIT_FILE_KEY = "auditFile";

  public static final LogSettings DEFAULT = new LogSettings(LogFormat.TEXT, Optional.empty());

  /** What the environment alone says (at start, before the config folder is read). */
  public static LogSettings fromEnvironment(Map<String, String> env) {
    return from(new JsonObject(), env, Path.of("."));
  }

  /**
   * What the merged config and the environment say; a relative {@code auditFile} resolves
   * against the config folder.
   *
   * @throws IllegalArgumentException naming the key or variable that holds an unusable value
   */
  public static LogSettings from(JsonObject config, Map<String, String> env, Path configDir) {
    LogFormat format = LogFormat.TEXT;
    Object key = config.getValue(FORMAT_KEY);
    if (key != null) {
      format = LogFormat.parse(String.valueOf(key), FORMAT_KEY);
    }
    String fromEnv = env.get(FORMAT_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      format = LogFormat.parse(fromEnv, FORMAT_ENV);
    }
    Optional<Path> audit = Optional.empty();
    Object file = config.getValue(AUDIT_FILE_KEY);
    if (file != null) {
      if (!(file instanceof String text) || text.isBlank()) {
        throw new IllegalArgumentException(AUDIT_FILE_KEY + " must be a file path");
      }
      audit = Optional.of(configDir.resolve(text));
    }
    String fileFromEnv = env.get(AUDIT_FILE_ENV);
    if (fileFromEnv != null && !fileFromEnv.isBlank()) {
      audit = Optional.of(Path.of(fileFromEnv));
    }
    return new LogSettings(format, audit.map(Path::toAbsolutePath).map(Path::normalize));
  }
}
