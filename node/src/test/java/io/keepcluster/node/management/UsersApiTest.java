package io.keepcluster.node.management;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management API's users, over real HTTP against a node in this JVM. */
class UsersApiTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration SETTLE = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private TestNode node;
  private String ops;

  @BeforeEach
  void start() {
    String hash = TestNode.HASHER.hash("ops-pw".toCharArray());
    ops = TestNode.basic("ops", "ops-pw");
    node = TestNode.in(dir).alice().overlay("management.json", new JsonObject()
        .put("managementAccounts", new JsonObject().put("ops", new JsonObject().put("passwordHash", hash)))
        .put("lockout", new JsonObject().put("attempts", 3).put("minutes", 60)))
        .start();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(node.management(path))
        .header("Authorization", ops).timeout(Duration.ofSeconds(20));
    if (body != null) {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject listed(String name) throws Exception {
    JsonArray users = new JsonObject(call("GET", "/api/users", null).body()).getJsonArray("users");
    for (int i = 0; i < users.size(); i++) {
      if (users.getJsonObject(i).getString("username").equals(name)) {
        return users.getJsonObject(i);
      }
    }
    return null;
  }

  @Test
  @DisplayName("GET /api/users lists users with their state and never a hash")
  void listsWithoutHashes() throws Exception {
    HttpResponse<String> response = call("GET", "/api/users", null);
    assertEquals(200, response.statusCode());
    assertFalse(response.body().contains("argon2"), response.body());
    assertFalse(response.body().contains("passwordHash"), response.body());
    assertEquals("active", listed("alice").getString("state"));
    assertEquals("CN=Alice/O=Acme", listed("alice").getString("dn"));
  }

  @Test
  @DisplayName("without management credentials the users API answers 401")
  void needsCredentials() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(node.management("/api/users")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, response.statusCode());
  }

  @Test
  @DisplayName("POST /api/users adds a user who can log in at once (201), a second time answers 409")
  void addsUser() throws Exception {
    String body = new JsonObject().put("username", "carol").put("dn", "CN=Carol/O=Acme")
        .put("password", "carol-pw").encode();
    assertEquals(201, call("POST", "/api/users", body).statusCode());
    assertEquals(200, node.login("carol", "carol-pw").statusCode());
    assertEquals(409, call("POST", "/api/users", body).statusCode());
    await().atMost(SETTLE).until(() -> new UserDirectoryFile(dir).load().containsKey("carol"));
  }

  @Test
  @DisplayName("POST /api/users with an unknown field or no password answers 400")
  void refusesBadBodies() throws Exception {
    assertEquals(400, call("POST", "/api/users", new JsonObject().put("username", "x").put("dn", "CN=X")
        .put("password", "p").put("admin", true).encode()).statusCode());
    assertEquals(400, call("POST", "/api/users", new JsonObject().put("username", "x").put("dn", "CN=X")
        .encode()).statusCode());
  }

  @Test
  @DisplayName("DELETE /api/users/alice: 204, her login fails, her live token is refused, the file has a tombstone; again 404")
  void removesUser() throws Exception {
    String token = node.bearer("alice", "alice-pw");
    assertEquals(200, node.userinfo(token).statusCode());

    assertEquals(204, call("DELETE", "/api/users/alice", null).statusCode());

    assertEquals(401, node.login("alice", "alice-pw").statusCode());
    assertEquals(401, node.userinfo(token).statusCode());
    assertEquals(404, call("DELETE", "/api/users/alice", null).statusCode());
    await().atMost(SETTLE).until(() -> new UserDirectoryFile(dir).entries().get("alice").removed());
  }

  @Test
  @DisplayName("disable refuses login and live tokens; enable lets her log in again")
  void disableAndEnable() throws Exception {
    String token = node.bearer("alice", "alice-pw");
    assertEquals(204, call("POST", "/api/users/alice/disable", null).statusCode());
    assertEquals(401, node.login("alice", "alice-pw").statusCode());
    assertEquals(401, node.userinfo(token).statusCode());
    assertEquals("disabled", listed("alice").getString("state"));

    assertEquals(204, call("POST", "/api/users/alice/enable", null).statusCode());
    // Tokens issued in the second of the cut-off are refused too: wait for the next second.
    await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).until(() -> {
      String fresh = node.bearer("alice", "alice-pw");
      return node.userinfo(fresh).statusCode() == 200;
    });
  }

  @Test
  @DisplayName("a locked user is listed as locked; unlock lets the right password in at once")
  void unlock() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals(401, node.login("alice", "wrong-" + i).statusCode());
    }
    assertEquals(401, node.login("alice", "alice-pw").statusCode());
    JsonObject locked = listed("alice");
    assertEquals("locked", locked.getString("state"));
    assertTrue(locked.containsKey("lockedUntil"));

    assertEquals(204, call("POST", "/api/users/alice/unlock", null).statusCode());
    assertEquals(200, node.login("alice", "alice-pw").statusCode());
    assertEquals(404, call("POST", "/api/users/nobody/unlock", null).statusCode());
  }

  @Test
  @DisplayName("a new password works at once, the old one stops, and the lockout is cleared")
  void changesPassword() throws Exception {
    for (int i = 0; i < 3; i++) {
      node.login("alice", "wrong-" + i);
    }
    HttpResponse<String> response = call("POST", "/api/users/alice/password",
        new JsonObject().put("password", "new-alice-pw").encode());
    assertEquals(204, response.statusCode(), response.body());
    assertEquals(200, node.login("alice", "new-alice-pw").statusCode());
    assertEquals(401, node.login("alice", "alice-pw").statusCode());
    assertEquals(404, call("POST", "/api/users/nobody/password",
        new JsonObject().put("password", "x").encode()).statusCode());
  }

  @Test
  @DisplayName("logout-all refuses the user's live tokens; she can log in again")
  void logoutEverywhere() throws Exception {
    String token = node.bearer("alice", "alice-pw");
    assertEquals(204, call("POST", "/api/users/alice/logout-all", null).statusCode());
    assertEquals(401, node.userinfo(token).statusCode());
    assertEquals(200, node.login("alice", "alice-pw").statusCode());
  }
}
