package io.keepcluster.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.shared.cluster.ClusterSecret;
import io.keepcluster.shared.config.ConfigOverlay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DIR and the environment turned into a typed {@link NodeConfig}, or a message naming the problem. */
class ConfigLoaderTest {

  /** What {@code secret generate} prints: 43 base64url characters, 256 bits. */
  private static final String STRONG_SECRET = ClusterSecret.generate(new SecureRandom()).encoded();

  @TempDir
  Path dir;

  private NodeConfig load(Map<String, String> env) throws ConfigException {
    return new ConfigLoader(ConfigOverlay.withBundledDefaults(), env).load(dir);
  }

  private void write(String fileName, String json) throws Exception {
    Files.writeString(dir.resolve(fileName), json);
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
    assertEquals(new TokenSettings(Duration.ofSeconds(7200), Duration.ofSeconds(86400),
        "http://localhost:8880", "Domino", Duration.ofSeconds(5)), config.tokens());
    assertEquals(PublicUrl.localhost(8880), config.publicUrl());
    assertEquals(Duration.ofSeconds(60), config.rolloverLead());
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
        "KEEP_CLUSTER_SECRET", STRONG_SECRET, "KEEP_PUBLIC_URL", "https://sso.acme.test"));

    assertEquals(List.of("a:5701", "b:5701"), config.cluster().members());
    assertTrue(config.cluster().multiNode());
    assertEquals(STRONG_SECRET, config.cluster().secret().orElseThrow().encoded());
    assertFalse(config.cluster().toString().contains(STRONG_SECRET));
    assertFalse(config.toString().contains(STRONG_SECRET));
  }

  @Test
  @DisplayName("a weak KEEP_CLUSTER_SECRET is refused with the rule it broke, without showing it")
  void weakSecretRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(
        "KEEP_CLUSTER_MEMBERS", "a:5701, b:5701", "KEEP_CLUSTER_SECRET", "keepcluster2026",
        "KEEP_PUBLIC_URL", "https://sso.acme.test")));

    assertEquals("KEEP_CLUSTER_SECRET is too weak: 15 characters, at least 22 needed (128 bits);"
        + " make one with: keepcluster-node secret generate", e.getMessage());
  }

  @Test
  @DisplayName("a weak KEEP_CLUSTER_SECRET is refused even on a single node, so adding members later cannot use it")
  void weakSecretRefusedStandalone() {
    String weak = "changeme-changeme-changeme";

    ConfigException e = assertThrows(ConfigException.class,
        () -> load(Map.of("KEEP_CLUSTER_SECRET", weak)));

    assertTrue(e.getMessage().startsWith("KEEP_CLUSTER_SECRET is too weak: "), e.getMessage());
    assertFalse(e.getMessage().contains(weak), e.getMessage());
  }

  @Test
  @DisplayName("cluster members without KEEP_CLUSTER_SECRET (or with an empty one) refuse to start")
  void membersNeedASecret() {
    for (Map<String, String> env : List.of(Map.of("KEEP_CLUSTER_MEMBERS", "a:5701, b:5701"),
        Map.of("KEEP_CLUSTER_MEMBERS", "a:5701, b:5701", "KEEP_CLUSTER_SECRET", ""))) {
      ConfigException e = assertThrows(ConfigException.class, () -> load(env));

      assertTrue(e.getMessage().contains("KEEP_CLUSTER_SECRET is not set"), e.getMessage());
    }
  }

  @Test
  @DisplayName("a strong secret is accepted, as is the integration tests' \"it-secret-\" + UUID form")
  void strongSecretAccepted() throws Exception {
    String itForm = "it-secret-" + UUID.randomUUID();

    assertTrue(load(Map.of("KEEP_CLUSTER_SECRET", STRONG_SECRET)).cluster().secret().isPresent());
    assertTrue(load(Map.of("KEEP_CLUSTER_MEMBERS", "a:5701", "KEEP_CLUSTER_SECRET", itForm,
        "KEEP_PUBLIC_URL", "https://sso.acme.test")).cluster().secret().isPresent());
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
      "PORT|18446744073709551696",
      "HEALTHCHECKPORT|1.5",
      "METRICSPORT|null",
      "JwtDuration|\"two hours\"",
      "JwtDuration|0",
      "maxJwtDuration|false",
      "leeway|-1",
      "JwtIssuer|\"\"",
      "JwtIssuer|\"CN=KeepCluster/F=Top\"",
      "issuer|42",
      "issuer|\"KeepCluster\"",
      "publicUrl|\"\"",
      "publicUrl|\"ftp://sso.acme.test\"",
      "publicUrl|\"/keep\"",
      "publicUrl|\"https://sso.acme.test/keep?x=1\"",
      "publicUrl|\"https://sso.acme.test/keep#top\"",
      "publicUrl|\"https://user:pw@sso.acme.test\"",
      "rolloverLeadSeconds|-1",
      "rolloverLeadSeconds|\"60\"",
      "rolloverLeadSeconds|86401",
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
  @DisplayName("publicUrl keeps its path prefix, loses trailing slashes, and is the default issuer")
  void publicUrlIsTheIssuer() throws Exception {
    NodeConfig config = load(Map.of("KEEP_PUBLIC_URL", "https://sso.acme.test/keep//"));

    assertEquals(new PublicUrl("https://sso.acme.test/keep", false), config.publicUrl());
    assertEquals("https://sso.acme.test/keep", config.tokens().issuer());
    assertEquals("https://sso.acme.test/keep/.well-known/jwks.json",
        config.publicUrl().resolve("/.well-known/jwks.json"));
    assertEquals(config, config.withApiPort(4242), "a configured publicUrl does not depend on the port");
  }

  @Test
  @DisplayName("issuer, when set, is the tokens' iss whatever the publicUrl; rolloverLeadSeconds 0 is allowed")
  void issuerAndLead() throws Exception {
    write("public.json", "{\"publicUrl\": \"https://sso.acme.test/keep\","
        + " \"issuer\": \"https://id.acme.test\", \"rolloverLeadSeconds\": 0}");

    NodeConfig config = load(Map.of());

    assertEquals("https://id.acme.test", config.tokens().issuer());
    assertEquals("https://sso.acme.test/keep", config.publicUrl().url());
    assertEquals(Duration.ZERO, config.rolloverLead());
    assertEquals(Duration.ofSeconds(3), load(Map.of("KEEP_ROLLOVER_LEAD_SECONDS", "3")).rolloverLead());
  }

  @Test
  @DisplayName("a single node without publicUrl falls back to http://localhost:PORT, the port it binds")
  void singleNodeFallback() throws Exception {
    NodeConfig config = load(Map.of("PORT", "0"));
    assertTrue(config.publicUrl().fallback());

    NodeConfig bound = config.withApiPort(41234);

    assertEquals(PublicUrl.localhost(41234), bound.publicUrl());
    assertEquals("http://localhost:41234", bound.tokens().issuer());
    assertEquals(41234, bound.ports().api());
    write("issuer.json", "{\"issuer\": \"https://id.acme.test\"}");
    assertEquals("https://id.acme.test", load(Map.of("PORT", "0")).withApiPort(41234).tokens().issuer(),
        "a configured issuer is kept");
  }

  @Test
  @DisplayName("a multi-node cluster without publicUrl refuses to start: every node would invent its own issuer")
  void clusterNeedsPublicUrl() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(
        "KEEP_CLUSTER_MEMBERS", "a:5701, b:5701", "KEEP_CLUSTER_SECRET", STRONG_SECRET)));

    assertTrue(e.getMessage().contains("publicUrl (env KEEP_PUBLIC_URL) is not set"), e.getMessage());
  }

  @Test
  @DisplayName("JwtDuration longer than maxJwtDuration is refused")
  void durationOverMaximum() throws Exception {
    ConfigException e = failure("tokens.json", "{\"JwtDuration\": 7200, \"maxJwtDuration\": 3600}");

    assertTrue(e.getMessage().contains("JwtDuration"), e.getMessage());
    assertTrue(e.getMessage().contains("maxJwtDuration"), e.getMessage());
  }
}
