package io.keepcluster.node.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HEALTHCHECKPORT of a real single node on its ephemeral key. */
class HealthPortTest {

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

  private JsonObject health() {
    HttpResponse<String> response = TestNode.get(node.health("/health"));
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  @Test
  @DisplayName("/health answers 200 UP with the node id and a version")
  void up() {
    JsonObject health = health();

    assertEquals("UP", health.getString("status"));
    assertEquals(node.nodeId(), health.getString("node"));
    assertNotNull(health.getString("version"));
  }

  @Test
  @DisplayName("a single node lists itself as the only cluster member")
  void clusterMembers() {
    JsonObject cluster = health().getJsonObject("cluster");

    assertEquals(new JsonArray().add(node.nodeId()), cluster.getJsonArray("members"));
    assertEquals("keepcluster", cluster.getString("name"));
  }

  @Test
  @DisplayName("without keysets the node signs with its ephemeral key and verifies no keyset")
  void ephemeralKeys() {
    JsonObject keys = health().getJsonObject("keys");

    assertEquals("ephemeral-" + node.nodeId(), keys.getString("signing"));
    assertEquals("ephemeral-" + node.nodeId(), keys.getString("ephemeral"));
    assertEquals(new JsonArray(), keys.getJsonArray("verifying"));
  }

  @Test
  @DisplayName("a clean config reports no problems")
  void noProblems() {
    assertEquals(new JsonArray(), health().getJsonArray("problems"));
  }

  @Test
  @DisplayName("/health/live and /health/ready answer 200")
  void liveAndReady() {
    assertEquals(200, TestNode.get(node.health("/health/live")).statusCode());
    HttpResponse<String> ready = TestNode.get(node.health("/health/ready"));
    assertEquals(200, ready.statusCode());
    assertEquals("UP", new JsonObject(ready.body()).getString("status"));
  }

  @Test
  @DisplayName("health never shows a password hash, even after logins")
  void noSecrets() {
    node.bearer("alice", "alice-pw");

    String body = TestNode.get(node.health("/health")).body().toLowerCase(Locale.ROOT);

    assertFalse(body.contains("argon2"), body);
    assertFalse(body.contains("passwordhash"), body);
  }

  @Test
  @DisplayName("an unknown path on the health port answers 404 as JSON")
  void notFoundIsJson() {
    HttpResponse<String> response = TestNode.get(node.health("/nope"));

    assertEquals(404, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    assertEquals(404, new JsonObject(response.body()).getInteger("status"));
  }

  @Test
  @DisplayName("the cluster name comes from KEEP_CLUSTER_NAME")
  void clusterNameFromEnv(@TempDir Path other) {
    try (TestNode named = TestNode.in(other).env("KEEP_CLUSTER_NAME", "acme").start()) {
      JsonObject health = new JsonObject(TestNode.get(named.health("/health")).body());
      assertEquals("acme", health.getJsonObject("cluster").getString("name"));
    }
  }
}
