package io.keepcluster.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DRAPI's overlay: bundled defaults, then DIR/*.json alphabetically, then the environment. */
class ConfigOverlayTest {

  @TempDir
  Path dir;

  private final ConfigOverlay overlay = ConfigOverlay.withBundledDefaults();

  private void write(String name, String json) throws IOException {
    Files.createDirectories(dir.resolve(name).getParent());
    Files.writeString(dir.resolve(name), json);
  }

  private JsonObject effective() throws ConfigFileException {
    return effective(Map.of());
  }

  private JsonObject effective(Map<String, String> env) throws ConfigFileException {
    return overlay.effective(dir, env);
  }

  @Test
  @DisplayName("an empty folder gives exactly the bundled defaults")
  void defaultsOnly() throws Exception {
    assertEquals(overlay.defaults(), effective());
  }

  @Test
  @DisplayName("the bundled defaults are DRAPI's ports, durations, issuer, audience, leeway and lockout")
  void bundledDefaults() {
    JsonObject defaults = overlay.defaults();

    assertEquals(8880, defaults.getInteger("PORT"));
    assertEquals(8886, defaults.getInteger("HEALTHCHECKPORT"));
    assertEquals(8889, defaults.getInteger("MANAGMENTPORT"));
    assertEquals(8890, defaults.getInteger("METRICSPORT"));
    assertEquals("0.0.0.0", defaults.getString("BIND"));
    assertEquals(false, defaults.getBoolean("disableDominoLogin"));
    assertEquals(7200, defaults.getInteger("JwtDuration"));
    assertEquals(86400, defaults.getInteger("maxJwtDuration"));
    assertFalse(defaults.containsKey("JwtIssuer"), "the issuer is a URL setting of its own (issuer)");
    assertFalse(defaults.containsKey("publicUrl"), "no public URL is guessed in the defaults");
    assertEquals(60, defaults.getInteger("rolloverLeadSeconds"));
    assertEquals("Domino", defaults.getString("JwtAudience"));
    assertEquals(5, defaults.getInteger("leeway"));
    assertEquals(new JsonObject(), defaults.getJsonObject("jwt"));
    assertEquals(new JsonObject().put("attempts", 5).put("minutes", 60), defaults.getJsonObject("lockout"));
  }

  @Test
  @DisplayName("a missing folder gives the defaults")
  void missingFolder() throws Exception {
    assertEquals(overlay.defaults(), overlay.effective(dir.resolve("missing"), Map.of()));
  }

  @Test
  @DisplayName("a file's values replace the defaults")
  void fileOverridesDefaults() throws Exception {
    write("tokens.json", "{\"JwtDuration\": 600}");

    assertEquals(600, effective().getInteger("JwtDuration"));
    assertEquals(86400, effective().getInteger("maxJwtDuration"));
  }

  @Test
  @DisplayName("files merge in alphabetical order: the later name wins, whatever the creation order")
  void alphabeticalOrder() throws Exception {
    write("b.json", "{\"JwtIssuer\": \"B\"}");
    write("a.json", "{\"JwtIssuer\": \"A\", \"JwtAudience\": \"from-a\"}");

    JsonObject effective = effective();

    assertEquals("B", effective.getString("JwtIssuer"));
    assertEquals("from-a", effective.getString("JwtAudience"));
  }

  @Test
  @DisplayName("alphabetical means by character, so 9.json comes after 10.json")
  void lexicographicNotNumeric() throws Exception {
    write("9.json", "{\"JwtIssuer\": \"nine\"}");
    write("10.json", "{\"JwtIssuer\": \"ten\"}");

    assertEquals("nine", effective().getString("JwtIssuer"));
  }

  @Test
  @DisplayName("objects merge key by key, also across files")
  void objectsDeepMerge() throws Exception {
    write("a.json", "{\"cluster\": {\"name\": \"acme\"}}");
    write("b.json", "{\"cluster\": {\"port\": 5801}, \"lockout\": {\"attempts\": 3}}");

    JsonObject effective = effective();

    assertEquals("acme", effective.getJsonObject("cluster").getString("name"));
    assertEquals(5801, effective.getJsonObject("cluster").getInteger("port"));
    assertEquals(new JsonArray(), effective.getJsonObject("cluster").getJsonArray("members"));
    assertEquals(new JsonObject().put("attempts", 3).put("minutes", 60), effective.getJsonObject("lockout"));
  }

  @Test
  @DisplayName("arrays are replaced, never concatenated")
  void arraysReplace() throws Exception {
    write("a.json", "{\"cluster\": {\"members\": [\"a:5701\", \"b:5701\"]}}");
    write("b.json", "{\"cluster\": {\"members\": [\"c:5701\"]}}");

    assertEquals(new JsonArray().add("c:5701"), effective().getJsonObject("cluster").getJsonArray("members"));
  }

  @Test
  @DisplayName("a scalar in a later file replaces an object, and an object replaces a scalar")
  void typeChangesReplace() throws Exception {
    write("a.json", "{\"jwt\": 1, \"PORT\": {\"x\": 1}}");

    JsonObject effective = effective();

    assertEquals(1, effective.getValue("jwt"));
    assertEquals(new JsonObject().put("x", 1), effective.getValue("PORT"));
  }

  @Test
  @DisplayName("files that are not *.json, hidden files and the directory/ sub-folder are not overlays")
  void onlyVisibleJsonFiles() throws Exception {
    write("notes.txt", "{\"JwtIssuer\": \"txt\"}");
    write(".hidden.json", "{\"JwtIssuer\": \"hidden\"}");
    write("config.json.bak", "{\"JwtIssuer\": \"bak\"}");
    write("directory/users.json", "{\"JwtIssuer\": \"users\"}");

    assertFalse(effective().containsKey("JwtIssuer"));
  }

  @Test
  @DisplayName("keyset descriptors (JwtUsePubPrivKey true) are not merged: their JwtIssuer stays theirs")
  void keysetDescriptorsNotMerged() throws Exception {
    write("MultiDomain.json", "{\"JwtUsePubPrivKey\": true, \"JwtUsePemFile\": true,"
        + " \"JwtIssuer\": \"CN=KeepCluster/F=MultiDomain\", \"JwtAlgorithm\": \"RSA\","
        + " \"JwtPrivateKeyFile\": \"keepconfig.d/MultiDomain.private.key.pem\"}");

    JsonObject effective = effective();

    assertFalse(effective.containsKey("JwtIssuer"));
    assertFalse(effective.containsKey("JwtUsePubPrivKey"));
    assertFalse(effective.containsKey("JwtPrivateKeyFile"));
  }

  @Test
  @DisplayName("a file with JwtUsePubPrivKey false is an ordinary overlay")
  void falseDescriptorIsOverlay() throws Exception {
    write("settings.json", "{\"JwtUsePubPrivKey\": false, \"JwtIssuer\": \"Acme\"}");

    assertEquals("Acme", effective().getString("JwtIssuer"));
  }

  @Test
  @DisplayName("PORT, HEALTHCHECKPORT, MANAGMENTPORT, METRICSPORT and BIND from the environment beat the files")
  void environmentWins() throws Exception {
    write("ports.json", "{\"PORT\": 1, \"HEALTHCHECKPORT\": 2, \"MANAGMENTPORT\": 3, \"METRICSPORT\": 4,"
        + " \"BIND\": \"10.0.0.1\"}");

    JsonObject effective = effective(Map.of("PORT", "9001", "HEALTHCHECKPORT", "9002",
        "MANAGMENTPORT", "9003", "METRICSPORT", "9004", "BIND", "127.0.0.1"));

    assertEquals(9001, effective.getInteger("PORT"));
    assertEquals(9002, effective.getInteger("HEALTHCHECKPORT"));
    assertEquals(9003, effective.getInteger("MANAGMENTPORT"));
    assertEquals(9004, effective.getInteger("METRICSPORT"));
    assertEquals("127.0.0.1", effective.getString("BIND"));
  }

  @Test
  @DisplayName("KEEP_PUBLIC_URL, KEEP_ISSUER and KEEP_ROLLOVER_LEAD_SECONDS set publicUrl, issuer and rolloverLeadSeconds")
  void issuerSettingsFromEnvironment() throws Exception {
    write("public.json", "{\"publicUrl\": \"https://file.test\", \"rolloverLeadSeconds\": 30}");

    JsonObject effective = effective(Map.of("KEEP_PUBLIC_URL", "https://sso.acme.test/keep",
        "KEEP_ISSUER", "https://issuer.acme.test", "KEEP_ROLLOVER_LEAD_SECONDS", "0"));

    assertEquals("https://sso.acme.test/keep", effective.getString("publicUrl"));
    assertEquals("https://issuer.acme.test", effective.getString("issuer"));
    assertEquals(0, effective.getInteger("rolloverLeadSeconds"));
  }

  @Test
  @DisplayName("MANAGEMENTPORT (correct spelling) sets DRAPI's MANAGMENTPORT key")
  void managementPortSpelling() throws Exception {
    write("ports.json", "{\"MANAGMENTPORT\": 3}");

    assertEquals(9003, effective(Map.of("MANAGEMENTPORT", "9003")).getInteger("MANAGMENTPORT"));
  }

  @Test
  @DisplayName("unset or blank environment variables leave the files' values")
  void blankEnvironmentIgnored() throws Exception {
    write("ports.json", "{\"PORT\": 1234, \"BIND\": \"10.0.0.1\"}");

    JsonObject effective = effective(Map.of("PORT", " ", "BIND", ""));

    assertEquals(1234, effective.getInteger("PORT"));
    assertEquals("10.0.0.1", effective.getString("BIND"));
  }

  @Test
  @DisplayName("a non-numeric port in the environment stays a string, for the typed config to refuse by name")
  void nonNumericPortKept() throws Exception {
    assertEquals("http", effective(Map.of("PORT", "http")).getValue("PORT"));
  }

  @Test
  @DisplayName("KEEP_CLUSTER_* variables fill the cluster section, members as a comma list")
  void clusterEnvironment() throws Exception {
    write("cluster.json", "{\"cluster\": {\"name\": \"file\", \"members\": [\"x:1\"]}}");

    JsonObject cluster = effective(Map.of("KEEP_CLUSTER_NAME", "env", "KEEP_CLUSTER_PORT", "5801",
        "KEEP_CLUSTER_MEMBERS", "a:5701, b:5701,,")).getJsonObject("cluster");

    assertEquals("env", cluster.getString("name"));
    assertEquals(5801, cluster.getInteger("port"));
    assertEquals(new JsonArray().add("a:5701").add("b:5701"), cluster.getJsonArray("members"));
  }

  @Test
  @DisplayName("invalid JSON is a ConfigFileException naming the file and the parser's reason")
  void invalidJson() throws Exception {
    write("a.json", "{\"JwtIssuer\": \"A\"}");
    write("broken.json", "{\"PORT\": 1,");

    ConfigFileException e = assertThrows(ConfigFileException.class, this::effective);

    assertEquals("broken.json", e.fileName());
    assertTrue(e.reason().startsWith("invalid JSON"), e.reason());
    assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
    assertFalse(e.reason().contains("\n"), "one line");
  }

  @Test
  @DisplayName("a JSON array instead of an object is refused, naming the file")
  void arrayFile() throws Exception {
    write("list.json", "[1, 2]");

    ConfigFileException e = assertThrows(ConfigFileException.class, this::effective);

    assertEquals("list.json", e.fileName());
  }

  @Test
  @DisplayName("an empty file is refused, naming the file")
  void emptyFile() throws Exception {
    write("empty.json", "  \n");

    ConfigFileException e = assertThrows(ConfigFileException.class, this::effective);

    assertEquals("empty.json", e.fileName());
    assertTrue(e.reason().contains("empty"), e.reason());
  }

  @Test
  @DisplayName("computing the effective config never changes the defaults")
  void defaultsUntouched() throws Exception {
    JsonObject before = overlay.defaults();
    write("a.json", "{\"cluster\": {\"name\": \"acme\"}, \"lockout\": {\"attempts\": 1}}");

    effective(Map.of("PORT", "1"));
    effective().getJsonObject("cluster").put("name", "mutated");

    assertEquals(before, overlay.defaults());
    assertEquals(before, new ConfigOverlay(before).effective(dir.resolve("none"), Map.of()));
  }
}
