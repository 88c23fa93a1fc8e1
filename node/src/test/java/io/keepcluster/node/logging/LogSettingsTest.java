package io.keepcluster.node.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LogSettingsTest {

  private static final Path DIR = Path.of("/srv/keepconfig.d");

  @Test
  @DisplayName("text by default, no audit file")
  void defaults() {
    assertEquals(LogSettings.DEFAULT, LogSettings.from(new JsonObject(), Map.of(), DIR));
  }

  @Test
  @DisplayName("logFormat and auditFile come from the config, a relative audit file inside the config folder")
  void fromConfig() {
    LogSettings settings = LogSettings.from(new JsonObject().put("logFormat", "JSON")
        .put("auditFile", "audit.log"), Map.of(), DIR);

    assertEquals(LogFormat.JSON, settings.format());
    assertEquals(Optional.of(DIR.resolve("audit.log")), settings.auditFile());
  }

  @Test
  @DisplayName("KEEP_LOG_FORMAT and KEEP_AUDIT_FILE win over the config")
  void environmentWins() {
    LogSettings settings = LogSettings.from(new JsonObject().put("logFormat", "json")
            .put("auditFile", "audit.log"),
        Map.of("KEEP_LOG_FORMAT", "text", "KEEP_AUDIT_FILE", "/var/log/keep-audit.log"), DIR);

    assertEquals(new LogSettings(LogFormat.TEXT, Optional.of(Path.of("/var/log/keep-audit.log"))), settings);
  }

  @Test
  @DisplayName("an unknown format is refused with the name of the key or variable that holds it")
  void unknownFormat() {
    IllegalArgumentException fromConfig = assertThrows(IllegalArgumentException.class,
        () -> LogSettings.from(new JsonObject().put("logFormat", "xml"), Map.of(), DIR));
    IllegalArgumentException fromEnv = assertThrows(IllegalArgumentException.class,
        () -> LogSettings.fromEnvironment(Map.of("KEEP_LOG_FORMAT", "yaml")));

    assertTrue(fromConfig.getMessage().startsWith("logFormat must be \"text\" or \"json\""), fromConfig.getMessage());
    assertTrue(fromEnv.getMessage().startsWith("KEEP_LOG_FORMAT"), fromEnv.getMessage());
  }
}
