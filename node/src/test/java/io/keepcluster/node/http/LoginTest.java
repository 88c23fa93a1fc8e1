package io.keepcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.Jwts;
import io.keepcluster.node.testing.MutableClock;
import io.keepcluster.node.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/auth} against a real node: DRAPI's response shape and every refusal. */
class LoginTest {

  private static final JsonObject INVALID_CREDENTIALS = new JsonObject()
      .put("status", 401).put("message", "Invalid credentials or account locked");

  @TempDir
  Path dir;

  private TestNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private TestNode start(TestNode.Builder builder) {
    node = builder.start();
    return node;
  }

  private static JsonObject json(HttpResponse<String> response) {
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        "Content-Type of " + response.body());
    return new JsonObject(response.body());
  }

  @Test
  @DisplayName("a good login answers 200 with DRAPI's bearer, claims, leeway, expSeconds and issueDate")
  void responseShape() {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");
    start(TestNode.in(dir).alice().clock(new MutableClock(now)));

    HttpResponse<String> response = node.login("alice", "alice-pw");

    assertEquals(200, response.statusCode());
    JsonObject body = json(response);
    JsonObject claims = body.getJsonObject("claims");
    assertEquals(TestNode.PUBLIC_URL, claims.getString("iss"), "the configured publicUrl");
    assertEquals("CN=Alice/O=Acme", claims.getString("sub"));
    assertEquals("CN=Alice/O=Acme", claims.getString("CN"));
    assertEquals("Domino", claims.getString("aud"));
    assertEquals("MAIL $DATA", claims.getString("scope"));
    assertEquals("alice@acme.test", claims.getString("email"));
    assertEquals(now.getEpochSecond(), claims.getLong("iat"));
    assertEquals(now.getEpochSecond() + 7200, claims.getLong("exp"));
    assertNotNull(claims.getString("jti"));
    assertEquals(5, body.getInteger("leeway"));
    assertEquals(7200, body.getInteger("expSeconds"));
    assertEquals("2026-11-26T12:00:00Z", body.getString("issueDate"));
    assertEquals(claims, Jwts.payload(body.getString("bearer")), "claims are the token's payload");
  }

  @Test
  @DisplayName("the token's header is alg HS256, typ JWT, kid ephemeral-<node id>")
  void tokenHeader() {
    start(TestNode.in(dir).alice());

    JsonObject header = Jwts.header(node.bearer("alice", "alice-pw"));

    assertEquals(new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", node.ephemeralKid()),
        header);
  }

  @Test
  @DisplayName("JwtDuration, issuer, JwtAudience and leeway from the config shape the token")
  void configuredClaims() {
    start(TestNode.in(dir).alice().overlay("tokens.json", new JsonObject()
        .put("JwtDuration", 600).put("issuer", "https://acme.test/keep").put("JwtAudience", "Keep")
        .put("leeway", 2)));

    JsonObject body = json(node.login("alice", "alice-pw"));

    JsonObject claims = body.getJsonObject("claims");
    assertEquals("https://acme.test/keep", claims.getString("iss"));
    assertEquals("Keep", claims.getString("aud"));
    assertEquals(600, claims.getLong("exp") - claims.getLong("iat"));
    assertEquals(600, body.getInteger("expSeconds"));
    assertEquals(2, body.getInteger("leeway"));
    assertEquals(200, node.userinfo(body.getString("bearer")).statusCode());
  }

  @Test
  @DisplayName("every login gets a token with its own jti")
  void jtiDiffers() {
    start(TestNode.in(dir).alice());

    String first = Jwts.payload(node.bearer("alice", "alice-pw")).getString("jti");
    String second = Jwts.payload(node.bearer("alice", "alice-pw")).getString("jti");

    assertNotEquals(first, second);
  }

  @Test
  @DisplayName("a requested scope narrows the token to that scope")
  void scopeNarrows() {
    start(TestNode.in(dir).alice());

    HttpResponse<String> response = node.login(new JsonObject()
        .put("username", "alice").put("password", "alice-pw").put("scope", "MAIL"));

    assertEquals("MAIL", json(response).getJsonObject("claims").getString("scope"));
  }

  @Test
  @DisplayName("a requested scope cannot widen: MAIL ADMIN for a MAIL $DATA user gives MAIL")
  void scopeCannotWiden() {
    start(TestNode.in(dir).alice());

    HttpResponse<String> response = node.login(new JsonObject()
        .put("username", "alice").put("password", "alice-pw").put("scope", "MAIL ADMIN"));

    assertEquals(200, response.statusCode());
    assertEquals("MAIL", json(response).getJsonObject("claims").getString("scope"));
  }

  @Test
  @DisplayName("a user without email gets a token without an email claim")
  void noEmail() {
    start(TestNode.in(dir).user("bob", "CN=Bob/O=Acme", null, null, "bob-pw"));

    JsonObject claims = json(node.login("bob", "bob-pw")).getJsonObject("claims");

    assertEquals(false, claims.containsKey("email"));
    assertEquals("MAIL $DATA", claims.getString("scope"), "default scopes");
  }

  @Test
  @DisplayName("malformed JSON answers 400 as JSON")
  void malformedJson() {
    start(TestNode.in(dir).alice());

    HttpResponse<String> response = TestNode.post(node.api("/api/v1/auth"), "{\"username\":\"alice\",");

    assertEquals(400, response.statusCode());
    assertEquals(400, json(response).getInteger("status"));
  }

  @Test
  @DisplayName("a JSON array body answers 400")
  void arrayBody() {
    start(TestNode.in(dir).alice());

    assertEquals(400, TestNode.post(node.api("/api/v1/auth"), "[\"alice\",\"alice-pw\"]").statusCode());
  }

  @Test
  @DisplayName("an unknown field answers 400 naming the field")
  void unknownField() {
    start(TestNode.in(dir).alice());

    HttpResponse<String> response = node.login(new JsonObject()
        .put("username", "alice").put("password", "alice-pw").put("admin", true));

    assertEquals(400, response.statusCode());
    assertTrue(json(response).getString("details").contains("admin"), response.body());
  }

  @Test
  @DisplayName("a missing password answers 400")
  void missingPassword() {
    start(TestNode.in(dir).alice());

    HttpResponse<String> response = node.login(new JsonObject().put("username", "alice"));

    assertEquals(400, response.statusCode());
    assertTrue(json(response).getString("details").contains("password"), response.body());
  }

  @Test
  @DisplayName("a body over 16 KiB answers 413 as JSON")
  void bodyTooLarge() {
    start(TestNode.in(dir).alice());

    HttpResponse<String> response = node.login(new JsonObject()
        .put("username", "alice").put("password", "x".repeat(17 * 1024)));

    assertEquals(413, response.statusCode());
    assertEquals(413, json(response).getInteger("status"));
  }

  @Test
  @DisplayName("a wrong password answers the shared 401 body")
  void wrongPassword() {
    start(TestNode.in(dir).alice());

    HttpResponse<String> response = node.login("alice", "wrong");

    assertEquals(401, response.statusCode());
    assertEquals(INVALID_CREDENTIALS, json(response));
  }

  @Test
  @DisplayName("an unknown user answers the same 401 body as a wrong password")
  void unknownUser() {
    start(TestNode.in(dir).alice());

    HttpResponse<String> response = node.login("mallory", "alice-pw");

    assertEquals(401, response.statusCode());
    assertEquals(INVALID_CREDENTIALS, json(response));
  }

  @Test
  @DisplayName("a suspended user with the right password answers the same 401 body")
  void suspendedUser() {
    start(TestNode.in(dir).alice().overlay("lockout.json", "{\"lockout\":{\"attempts\":1}}"));
    node.login("alice", "wrong");

    HttpResponse<String> response = node.login("alice", "alice-pw");

    assertEquals(401, response.statusCode());
    assertEquals(INVALID_CREDENTIALS, json(response));
  }

  @Test
  @DisplayName("after 5 failed logins (the default) the right password is refused")
  void lockoutAfterFiveFailures() {
    start(TestNode.in(dir).alice());
    for (int i = 0; i < 5; i++) {
      assertEquals(401, node.login("alice", "wrong-" + i).statusCode());
    }

    assertEquals(401, node.login("alice", "alice-pw").statusCode());
  }

  @Test
  @DisplayName("after 4 failed logins the right password still works and resets the count")
  void noLockoutAfterFourFailures() {
    start(TestNode.in(dir).alice());
    for (int i = 0; i < 4; i++) {
      node.login("alice", "wrong-" + i);
    }
    assertEquals(200, node.login("alice", "alice-pw").statusCode());
    for (int i = 0; i < 4; i++) {
      node.login("alice", "wrong-" + i);
    }

    assertEquals(200, node.login("alice", "alice-pw").statusCode());
  }

  @Test
  @DisplayName("lockout.attempts from the config is honoured: 2 failures suspend, 1 does not")
  void configuredAttempts() {
    start(TestNode.in(dir).alice().user("bob", "CN=Bob/O=Acme", null, null, "bob-pw")
        .overlay("lockout.json", "{\"lockout\":{\"attempts\":2}}"));
    node.login("bob", "wrong");
    assertEquals(200, node.login("bob", "bob-pw").statusCode());

    node.login("alice", "wrong-1");
    node.login("alice", "wrong-2");

    assertEquals(401, node.login("alice", "alice-pw").statusCode());
  }

  @Test
  @DisplayName("a suspension ends after lockout.minutes")
  void suspensionEnds() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    start(TestNode.in(dir).alice().clock(clock)
        .overlay("lockout.json", "{\"lockout\":{\"attempts\":2,\"minutes\":10}}"));
    node.login("alice", "wrong-1");
    node.login("alice", "wrong-2");
    clock.advance(Duration.ofMinutes(9));
    assertEquals(401, node.login("alice", "alice-pw").statusCode());

    clock.advance(Duration.ofMinutes(1));

    assertEquals(200, node.login("alice", "alice-pw").statusCode());
  }

  @Test
  @DisplayName("a suspension of one user leaves other users alone")
  void lockoutIsPerUser() {
    start(TestNode.in(dir).alice().user("bob", "CN=Bob/O=Acme", null, null, "bob-pw")
        .overlay("lockout.json", "{\"lockout\":{\"attempts\":1}}"));
    node.login("alice", "wrong");

    assertEquals(200, node.login("bob", "bob-pw").statusCode());
  }

  @Test
  @DisplayName("disableDominoLogin true answers 403 with a JSON message, even for good credentials")
  void dominoLoginDisabled() {
    start(TestNode.in(dir).alice().overlay("login.json", "{\"disableDominoLogin\":true}"));

    HttpResponse<String> response = node.login("alice", "alice-pw");

    assertEquals(403, response.statusCode());
    JsonObject body = json(response);
    assertEquals(403, body.getInteger("status"));
    assertTrue(body.getString("message").contains("disableDominoLogin"), response.body());
  }
}
