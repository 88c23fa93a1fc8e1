package io.keepcluster.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.shared.config.ConfigOverlay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DIR and the environment turned into a typed {@link NodeConfig}, or a message naming the problem. */
class ConfigLoaderTest {

  @TempDir
  Path dir;

  private NodeConfig load(Map<String, String> env) throws ConfigException {
    return new ConfigLoader(ConfigOverlay.withBundledDefaults(), env).load(dir);
  }

  private ConfigException failure(String fileName, String json) throws Exception {
    Files.writeString(dir.resolve(fileName), json);
    return assertThrows(ConfigException.class, () -> load(Map.of()));
  }

  @Test
  @DisplayName("an empty folder gives DRAPI's defaults")
  void defaults() throws Exception {
    NodeConfig config = load(Map.of());

    assertEquals(new Ports(8880, 8886, 8889, 8890), config.ports());
    assertEquals("0.0.0.0", config.bindAddress());
    assertFalse(config.dominoLoginDisabled());
    assertEquals(new TokenSettings(Duration.ofSeconds(7200), Duration.ofSeconds(86400), "KeepCluster",
        "Domino", Duration.ofSeconds(5)), config.tokens());
    assertEquals(new LockoutPolicy(5, Duration.ofMinutes(60)), config.lockout());
    assertEquals("keepcluster", config.cluster().name());
    assertFalse(config.cluster().multiNode());
    assertTrue(config.managementAccounts().isEmpty());
    assertEquals(dir, config.configDir());
  }

  @Test
  @DisplayName("environment variables set the ports and the bind address")
  void portsFromEnvironment() throws Exception {
    NodeConfig config = load(Map.of("PORT", "1001", "HEALTHCHECKPORT", "1002", "MANAGMENTPORT", "1003",
        "METRICSPORT", "1004", "BIND", "127.0.0.1"));

    assertEquals(new Ports(1001, 1002, 1003, 1004), config.ports());
    assertEquals("127.0.0.1", config.bindAddress());
  }

  @Test
  @DisplayName("MANAGEMENTPORT is accepted as well as DRAPI's MANAGMENTPORT")
  void managementPortSpelling() throws Exception {
    assertEquals(1003, load(Map.of("MANAGEMENTPORT", "1003")).ports().management());
  }

  @Test
  @DisplayName("KEEP_CLUSTER_MEMBERS makes a multi-node config, and the secret never shows in toString")
  void clusterFromEnvironment() throws Exception {
    NodeConfig config = load(Map.of("KEEP_CLUSTER_MEMBERS", "a:5701, b:5701",
        "KEEP_CLUSTER_SECRET", "s3cr3t-value"));

    assertEquals(List.of("a:5701", "b:5701"), config.cluster().members());
    assertTrue(config.cluster().multiNode());
    assertFalse(config.cluster().toString().contains("s3cr3t-value"));
  }

  @Test
  @DisplayName("invalid JSON is a ConfigException naming the file and saying invalid JSON")
  void invalidJson() throws Exception {
    ConfigException e = failure("20-broken.json", "{\"PORT\": 1,");

    assertTrue(e.getMessage().contains("20-broken.json"), e.getMessage());
    assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "PORT|\"8880\"",
      "PORT|70000",
      "PORT|-1",
      "HEALTHCHECKPORT|1.5",
      "METRICSPORT|null",
      "JwtDuration|\"two hours\"",
      "JwtDuration|0",
      "maxJwtDuration|false",
      "leeway|-1",
      "JwtIssuer|\"\"",
      "JwtAudience|42",
      "BIND|[]",
      "disableDominoLogin|\"yes\"",
      "lockout|5",
      "cluster|\"single\"",
      "managementAccounts|[]"})
  @DisplayName("a value of the wrong type or range is refused, naming its key")
  void badValueNamesKey(String key, String value) throws Exception {
    ConfigException e = failure("bad.json", "{\"" + key + "\": " + value + "}");

    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "lockout.attempts|{\"lockout\":{\"attempts\":0}}",
      "lockout.minutes|{\"lockout\":{\"minutes\":\"an hour\"}}",
      "cluster.members|{\"cluster\":{\"members\":\"a:5701\"}}",
      "cluster.members|{\"cluster\":{\"members\":[1]}}",
      "cluster.port|{\"cluster\":{\"port\":99999}}"})
  @DisplayName("a bad nested value is refused, naming its dotted key")
  void badNestedValueNamesKey(String key, String json) throws Exception {
    ConfigException e = failure("bad.json", json);

    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @Test
  @DisplayName("a non-numeric port in the environment is refused, naming the variable")
  void badPortInEnvironment() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("PORT", "http")));

    assertTrue(e.getMessage().contains("PORT"), e.getMessage());
  }

  @Test
  @DisplayName("JwtDuration longer than maxJwtDuration is refused")
  void durationOverMaximum() throws Exception {
    ConfigException e = failure("tokens.json", "{\"JwtDuration\": 7200, \"maxJwtDuration\": 3600}");

    assertTrue(e.getMessage().contains("JwtDuration"), e.getMessage());
    assertTrue(e.getMessage().contains("maxJwtDuration"), e.getMessage());
  }
}
