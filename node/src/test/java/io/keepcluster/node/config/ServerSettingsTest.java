package io.keepcluster.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.shared.config.ConfigOverlay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("bind addresses, TLS files and the shutdown drain in the config")
class ServerSettingsTest {

  @TempDir
  Path dir;

  private ServerSettings load(Map<String, String> env) throws ConfigException {
    return new ConfigLoader(ConfigOverlay.withBundledDefaults(), env).load(dir).servers();
  }

  private ConfigException failure(Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> load(env));
  }

  @Test
  @DisplayName("by default management and metrics listen on 127.0.0.1 only, even when BIND opens the API to all")
  void defaults() throws Exception {
    NodeConfig config = new ConfigLoader(ConfigOverlay.withBundledDefaults(), Map.of("BIND", "0.0.0.0")).load(dir);
    assertEquals("0.0.0.0", config.bindAddress());
    assertEquals(new ServerSettings("127.0.0.1", "127.0.0.1", Optional.empty(), Duration.ofSeconds(5)),
        config.servers());
  }

  @Test
  @DisplayName("MANAGEMENT_BIND, METRICS_BIND and KEEP_SHUTDOWN_DRAIN_SECONDS come from the environment; 0 s drain is allowed")
  void environment() throws Exception {
    ServerSettings servers = load(Map.of("MANAGEMENT_BIND", "10.0.0.5", "METRICS_BIND", "0.0.0.0",
        "KEEP_SHUTDOWN_DRAIN_SECONDS", "0"));
    assertEquals("10.0.0.5", servers.managementBind());
    assertEquals("0.0.0.0", servers.metricsBind());
    assertEquals(Duration.ZERO, servers.shutdownDrain());
  }

  @Test
  @DisplayName("TLS paths relative to the config folder resolve there; absolute ones stay as given")
  void tlsPaths() throws Exception {
    Files.writeString(dir.resolve("tls.json"), "{\"TLS\":{\"certFile\":\"tls/server.crt\",\"keyFile\":\"/etc/keep/server.key\"}}");
    TlsFiles files = load(Map.of()).tls().orElseThrow();
    assertEquals(dir.resolve("tls/server.crt"), files.certFile());
    assertEquals(Path.of("/etc/keep/server.key"), files.keyFile());
  }

  @Test
  @DisplayName("KEEP_TLS_CERT_FILE and KEEP_TLS_KEY_FILE turn TLS on without a config file")
  void tlsFromEnvironment() throws Exception {
    TlsFiles files = load(Map.of("KEEP_TLS_CERT_FILE", "/run/tls/tls.crt", "KEEP_TLS_KEY_FILE", "/run/tls/tls.key"))
        .tls().orElseThrow();
    assertEquals(new TlsFiles(Path.of("/run/tls/tls.crt"), Path.of("/run/tls/tls.key")), files);
  }

  @Test
  @DisplayName("TLS with a certificate but no key is refused, naming the missing key and its variable")
  void tlsNeedsBothFiles() {
    String message = failure(Map.of("KEEP_TLS_CERT_FILE", "/run/tls/tls.crt")).getMessage();
    assertTrue(message.contains("TLS.keyFile") && message.contains("KEEP_TLS_KEY_FILE"), message);
  }

  @Test
  @DisplayName("an unknown TLS setting is refused rather than silently ignored")
  void tlsUnknownKey() throws Exception {
    Files.writeString(dir.resolve("tls.json"),
        "{\"TLS\":{\"certFile\":\"a.crt\",\"keyFile\":\"a.key\",\"keyPassword\":\"x\"}}");
    String message = failure(Map.of()).getMessage();
    assertTrue(message.contains("TLS.keyPassword"), message);
  }

  @Test
  @DisplayName("a negative or non-numeric drain is refused with the setting's name and range")
  void drainRange() {
    assertTrue(failure(Map.of("KEEP_SHUTDOWN_DRAIN_SECONDS", "-1")).getMessage()
        .contains("shutdownDrainSeconds (env KEEP_SHUTDOWN_DRAIN_SECONDS) must be an integer between 0 and 3600"));
    assertTrue(failure(Map.of("KEEP_SHUTDOWN_DRAIN_SECONDS", "soon")).getMessage().contains("got: soon"));
  }

  @Test
  @DisplayName("a blank MANAGEMENT_BIND in a config file is refused with its name")
  void blankBind() throws Exception {
    Files.writeString(dir.resolve("bind.json"), "{\"MANAGEMENT_BIND\":\" \"}");
    assertTrue(failure(Map.of()).getMessage().startsWith("MANAGEMENT_BIND must be"));
  }
}
