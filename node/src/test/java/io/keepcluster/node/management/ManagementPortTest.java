package io.keepcluster.node.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management port's JSON API behind HTTP Basic with management accounts. */
class ManagementPortTest {

  @TempDir
  Path dir;

  private TestNode node;

  @BeforeEach
  void start() {
    String hash = TestNode.HASHER.hash("ops-pw".toCharArray());
    node = TestNode.in(dir).alice().overlay("management.json", new JsonObject()
        .put("managementAccounts", new JsonObject().put("ops", new JsonObject().put("passwordHash", hash))))
        .start();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static void assertBasicChallenge(HttpResponse<String> response) {
    assertEquals(401, response.statusCode());
    assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "),
        "WWW-Authenticate: " + response.headers().firstValue("WWW-Authenticate"));
    assertEquals(401, new JsonObject(response.body()).getInteger("status"));
  }

  @Test
  @DisplayName("/api/node without credentials answers 401 with a Basic challenge")
  void noCredentials() {
    assertBasicChallenge(TestNode.get(node.management("/api/node")));
  }

  @Test
  @DisplayName("/api/node with the management account answers 200 with the node's status")
  void withAccount() {
    HttpResponse<String> response = TestNode.get(node.management("/api/node"),
        "Authorization", TestNode.basic("ops", "ops-pw"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(node.nodeId(), new JsonObject(response.body()).getString("node"));
  }

  @Test
  @DisplayName("a wrong management password answers 401")
  void wrongPassword() {
    assertBasicChallenge(TestNode.get(node.management("/api/node"),
        "Authorization", TestNode.basic("ops", "wrong")));
  }

  @Test
  @DisplayName("a directory user is not a management account")
  void directoryUserRefused() {
    assertBasicChallenge(TestNode.get(node.management("/api/node"),
        "Authorization", TestNode.basic("alice", "alice-pw")));
  }

  @Test
  @DisplayName("a bearer token does not open the management API")
  void bearerRefused() {
    assertBasicChallenge(TestNode.get(node.management("/api/node"),
        "Authorization", "Bearer " + node.bearer("alice", "alice-pw")));
  }

  @Test
  @DisplayName("the management API never shows a password hash")
  void noSecrets() {
    String body = TestNode.get(node.management("/api/node"),
        "Authorization", TestNode.basic("ops", "ops-pw")).body().toLowerCase(Locale.ROOT);

    assertFalse(body.contains("argon2"), body);
    assertFalse(body.contains("passwordhash"), body);
  }
}
