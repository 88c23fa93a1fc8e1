package io.keepcluster.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.shared.config.ConfigOverlay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code http} and {@code login} sections: defaults, overrides and refusals that name the key. */
class ClientLimitsConfigTest {

  @TempDir
  Path dir;

  private NodeConfig load() throws ConfigException {
    return new ConfigLoader(ConfigOverlay.withBundledDefaults(), Map.of()).load(dir);
  }

  @Test
  @DisplayName("an empty folder gives 30 s idle, 10 s request head, 10,000 connections, and a queue of four per hashing thread")
  void defaults() throws Exception {
    NodeConfig config = load();
    assertEquals(new HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(10), 10_000, 4096), config.http());
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(new LoginLimits(cores, 4 * cores), config.login());
  }

  @Test
  @DisplayName("an overlay sets some keys and keeps the defaults of the others")
  void overlay() throws Exception {
    Files.writeString(dir.resolve("limits.json"),
        "{\"http\":{\"requestHeaderTimeoutSeconds\":3},\"login\":{\"hashingThreads\":2}}");
    NodeConfig config = load();
    assertEquals(Duration.ofSeconds(3), config.http().requestHeaderTimeout());
    assertEquals(Duration.ofSeconds(30), config.http().idleTimeout());
    assertEquals(new LoginLimits(2, 8), config.login());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"http\":{\"idleTimeoutSeconds\":0}}|http.idleTimeoutSeconds must be an integer between 1",
      "{\"http\":{\"requestHeaderTimeoutSeconds\":\"10\"}}|http.requestHeaderTimeoutSeconds must be an integer",
      "{\"http\":{\"maxConnections\":-1}}|http.maxConnections must be an integer between 1",
      "{\"http\":{\"maxInitialLineLength\":10}}|http.maxInitialLineLength must be an integer between 256",
      "{\"http\":[]}|http must be a JSON object",
      "{\"login\":{\"maxQueued\":1.5}}|login.maxQueued must be an integer between 0",
      "{\"login\":{\"hashingThreads\":0}}|login.hashingThreads must be an integer between 1"})
  @DisplayName("a bad value is refused with a message naming the key and the rule")
  void refused(String json, String message) throws Exception {
    Files.writeString(dir.resolve("bad.json"), json);
    ConfigException e = assertThrows(ConfigException.class, this::load);
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
