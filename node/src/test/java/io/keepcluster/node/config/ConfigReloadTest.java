package io.keepcluster.node.config;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running node whose keepconfig.d changes under it keeps its last good config and says so. */
class ConfigReloadTest {

  @TempDir
  Path dir;

  private TestNode node;

  @BeforeEach
  void start() {
    node = TestNode.in(dir).alice().start();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private Optional<JsonObject> problem(String file) {
    JsonArray problems = new JsonObject(TestNode.get(node.health("/health")).body()).getJsonArray("problems");
    return problems.stream().map(JsonObject.class::cast).filter(p -> file.equals(p.getString("file"))).findFirst();
  }

  @Test
  @DisplayName("an overlay with an invalid value is reported on /health while logins keep working, and clears when fixed")
  void invalidValueReported() throws Exception {
    Files.writeString(dir.resolve("20-tuning.json"), "{\"JwtDuration\": \"two hours\"}");

    await().atMost(Duration.ofSeconds(5)).until(() -> problem("config").isPresent());
    assertTrue(problem("config").get().getString("error").contains("JwtDuration"));
    assertEquals("config", problem("config").get().getString("kind"));
    assertEquals(200, node.login("alice", "alice-pw").statusCode());

    Files.writeString(dir.resolve("20-tuning.json"), "{\"JwtDuration\": 3600}");
    await().atMost(Duration.ofSeconds(5)).until(() -> problem("config").isEmpty());
  }

  @Test
  @DisplayName("config the next start would refuse makes the node DEGRADED and not ready, with the start's very message, until removed")
  void refusedConfigTakesTheNodeOutOfService() throws Exception {
    Files.writeString(dir.resolve("20-ports.json"), "{\"leeway\": \"x\"}");
    String startMessage;
    try {
      new ConfigLoader(io.keepcluster.shared.config.ConfigOverlay.withBundledDefaults(), java.util.Map.of()).load(dir);
      throw new AssertionError("the start would accept it");
    } catch (ConfigException e) {
      startMessage = e.line();
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> problem("config").isPresent());
    assertEquals(startMessage, problem("config").get().getString("error"));
    assertEquals(503, TestNode.get(node.health("/health")).statusCode());
    assertEquals("DEGRADED", new JsonObject(TestNode.get(node.health("/health")).body()).getString("status"));
    assertEquals(503, TestNode.get(node.health("/health/ready")).statusCode());

    Files.delete(dir.resolve("20-ports.json"));
    await().atMost(Duration.ofSeconds(5)).until(() -> TestNode.get(node.health("/health/ready")).statusCode() == 200);
    assertTrue(problem("config").isEmpty());
  }

  @Test
  @DisplayName("an overlay that is not valid JSON is reported with its file name while logins keep working")
  void invalidJsonReported() throws Exception {
    Files.writeString(dir.resolve("30-broken.json"), "{\"leeway\": ");

    await().atMost(Duration.ofSeconds(6)).until(() -> problem("30-broken.json").isPresent());
    assertTrue(problem("30-broken.json").get().getString("error").contains("invalid JSON"));
    assertEquals(200, node.login("alice", "alice-pw").statusCode());
  }
}
