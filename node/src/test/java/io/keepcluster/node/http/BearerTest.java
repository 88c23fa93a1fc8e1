package io.keepcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.keepcluster.node.testing.Jwts;
import io.keepcluster.node.testing.MutableClock;
import io.keepcluster.node.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/**} behind bearer tokens, against a real node. The ephemeral secret never leaves
 * the node, so every forged token starts from a real one; each refusal is also checked against
 * the node's own rejection counter so the test proves WHY the token was refused.
 */
class BearerTest {

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  private TestNode node;
  private String token;

  @BeforeEach
  void start() {
    node = TestNode.in(dir).alice().clock(clock).start();
    token = node.bearer("alice", "alice-pw");
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static void assertInvalidToken(HttpResponse<String> response) {
    assertEquals(401, response.statusCode(), response.body());
    assertEquals("Bearer error=\"invalid_token\"",
        response.headers().firstValue("WWW-Authenticate").orElse(null));
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    assertEquals(401, new JsonObject(response.body()).getInteger("status"));
  }

  /** The token is refused with 401 and the node counts it under {@code reason}. */
  private void assertRefused(String forged, String reason) {
    double before = node.rejections(reason);

    assertInvalidToken(node.userinfo(forged));

    assertEquals(before + 1, node.rejections(reason), "rejection reason " + reason);
  }

  private String header(UnaryOperator<JsonObject> edit) {
    return Jwts.withHeader(token, h -> edit.apply(h));
  }

  @Test
  @DisplayName("userinfo with a good token answers 200 with sub, CN, email, scope, iss and verifiedBy.kid")
  void userinfo() {
    HttpResponse<String> response = node.userinfo(token);

    assertEquals(200, response.statusCode());
    JsonObject body = new JsonObject(response.body());
    assertEquals("CN=Alice/O=Acme", body.getString("sub"));
    assertEquals("CN=Alice/O=Acme", body.getString("CN"));
    assertEquals("alice@acme.test", body.getString("email"));
    assertEquals("MAIL $DATA", body.getString("scope"));
    assertEquals(TestNode.PUBLIC_URL, body.getString("iss"));
    assertEquals(node.ephemeralKid(), body.getJsonObject("verifiedBy").getString("kid"));
    assertEquals("ephemeral", body.getJsonObject("verifiedBy").getString("source"));
  }

  @Test
  @DisplayName("the Bearer scheme name is case-insensitive")
  void schemeCaseInsensitive() {
    assertEquals(200, TestNode.get(node.api("/api/v1/userinfo"), "Authorization", "bearer " + token)
        .statusCode());
  }

  @Test
  @DisplayName("no Authorization header answers 401 with a Bearer challenge and a JSON body")
  void noToken() {
    assertInvalidToken(TestNode.get(node.api("/api/v1/userinfo")));
  }

  @Test
  @DisplayName("a Basic Authorization header on the API answers 401 with a Bearer challenge")
  void basicInsteadOfBearer() {
    assertInvalidToken(TestNode.get(node.api("/api/v1/userinfo"),
        "Authorization", TestNode.basic("alice", "alice-pw")));
  }

  @Test
  @DisplayName("every path under /api/v1/ needs a token, also unknown ones")
  void unknownApiPathNeedsToken() {
    assertInvalidToken(TestNode.get(node.api("/api/v1/nothing-here")));
  }

  @Test
  @DisplayName("alg none with the payload and an empty signature is refused")
  void algNone() {
    String forged = Jwts.encode(new JsonObject().put("alg", "none")) + "." + token.split("\\.")[1] + ".";

    assertRefused(forged, "unsigned");
  }

  @Test
  @DisplayName("the token re-signed with another HS256 secret is refused")
  void otherSecret() {
    assertRefused(Jwts.resignedWithRandomSecret(token), "bad_signature");
  }

  @Test
  @DisplayName("the header switched to HS384 with the same kid is refused")
  void hs384() {
    assertRefused(header(h -> h.put("alg", "HS384")), "algorithm_mismatch");
  }

  @Test
  @DisplayName("the header switched to RS256 with the same kid is refused")
  void rs256() {
    assertRefused(header(h -> h.put("alg", "RS256")), "algorithm_mismatch");
  }

  @Test
  @DisplayName("an unknown kid is refused")
  void unknownKid() {
    assertRefused(header(h -> h.put("kid", "ephemeral-00000000")), "unknown_kid");
  }

  @Test
  @DisplayName("a token without kid is refused")
  void noKid() {
    assertRefused(header(h -> {
      h.remove("kid");
      return h;
    }), "unknown_kid");
  }

  @Test
  @DisplayName("an embedded jwk header is refused")
  void embeddedJwk() throws Exception {
    JsonObject jwk = new JsonObject(new RSAKeyGenerator(2048).generate().toPublicJWK().toJSONObject());

    assertRefused(header(h -> h.put("jwk", jwk)), "embedded_key");
  }

  @Test
  @DisplayName("a jku header is refused")
  void jku() {
    assertRefused(header(h -> h.put("jku", "https://evil.test/jwks.json")), "embedded_key");
  }

  @Test
  @DisplayName("an x5u header is refused")
  void x5u() {
    assertRefused(header(h -> h.put("x5u", "https://evil.test/cert.pem")), "embedded_key");
  }

  @Test
  @DisplayName("an x5c header is refused")
  void x5c() {
    assertRefused(header(h -> h.put("x5c", new JsonArray().add("AQID"))), "embedded_key");
  }

  @Test
  @DisplayName("a crit header is refused")
  void crit() {
    assertRefused(header(h -> h.put("crit", new JsonArray().add("acme")).put("acme", true)),
        "unknown_critical_header");
  }

  @Test
  @DisplayName("a typ other than JWT is refused")
  void wrongTyp() {
    assertRefused(header(h -> h.put("typ", "at+jwt")), "malformed");
  }

  @Test
  @DisplayName("a payload whose scope was widened after signing is refused")
  void tamperedScope() {
    assertRefused(Jwts.withPayload(token, p -> p.put("scope", "MAIL $DATA ADMIN")), "bad_signature");
  }

  @Test
  @DisplayName("a payload whose sub was changed after signing is refused")
  void tamperedSubject() {
    assertRefused(Jwts.withPayload(token, p -> p.put("sub", "CN=Admin/O=Acme")), "bad_signature");
  }

  @Test
  @DisplayName("a token over 8 KiB is refused with 401, not with the HTTP server's 431")
  void tooLarge() {
    String forged = Jwts.withPayload(token, p -> p.put("pad", "x".repeat(8 * 1024)));

    assertRefused(forged, "too_large");
  }

  @Test
  @DisplayName("a token over 8 KiB sent over plain HTTP/1.1 is refused with 401 too")
  void tooLargeHttp11() {
    String forged = Jwts.withPayload(token, p -> p.put("pad", "x".repeat(8 * 1024)));
    double before = node.rejections("too_large");

    assertInvalidToken(TestNode.getHttp11(node.api("/api/v1/userinfo"), "Authorization", "Bearer " + forged));

    assertEquals(before + 1, node.rejections("too_large"));
  }

  @Test
  @DisplayName("a token just under 8 KiB reaches the verifier (refused for its forged signature, not its size)")
  void justUnderLimitReachesVerifier() {
    String forged = token;
    for (int pad = 5000; forged.length() < 8 * 1024 - 3; pad++) {
      int length = pad;
      forged = Jwts.withPayload(token, p -> p.put("pad", "x".repeat(length)));
    }

    assertRefused(forged, "bad_signature");
  }

  @Test
  @DisplayName("a fourth part after the signature answers the generic 401, not JWTAuthHandler's 400")
  void fourParts() {
    assertRefused(token + ".e30", "malformed");
  }

  @Test
  @DisplayName("two spaces after Bearer answer the generic 401, not JWTAuthHandler's 400")
  void twoSpacesAfterScheme() {
    double before = node.rejections("malformed");

    assertInvalidToken(TestNode.get(node.api("/api/v1/userinfo"), "Authorization", "Bearer  " + token));

    assertEquals(before + 1, node.rejections("malformed"));
  }

  @Test
  @DisplayName("a CORS preflight naming Authorization still needs a token (JWTAuthHandler alone lets it through)")
  void preflightNeedsToken() throws Exception {
    HttpRequest preflight = HttpRequest.newBuilder(node.api("/api/v1/userinfo"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://evil.test")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "Authorization")
        .build();
    double before = node.rejections("missing");

    assertInvalidToken(HttpClient.newHttpClient().send(preflight, HttpResponse.BodyHandlers.ofString()));

    assertEquals(before + 1, node.rejections("missing"));
  }

  @Test
  @DisplayName("garbage in place of a token is refused")
  void garbage() {
    assertRefused("not.a.token", "malformed");
  }

  @Test
  @DisplayName("a token is refused once the clock passes exp plus leeway")
  void expired() {
    clock.advance(Duration.ofSeconds(7200 + 5 + 1));

    assertRefused(token, "expired");
  }

  @Test
  @DisplayName("a token is still accepted within the leeway after exp")
  void withinLeeway() {
    clock.advance(Duration.ofSeconds(7200 + 4));

    assertEquals(200, node.userinfo(token).statusCode());
  }

  @Test
  @DisplayName("a token whose iat is still ahead of the node's clock is refused")
  void issuedInFuture() {
    clock.advance(Duration.ofSeconds(-60));

    assertRefused(token, "issued_in_future");
  }

  @Test
  @DisplayName("after logout the same token answers 401; a new login works")
  void logout() {
    HttpResponse<String> logout = TestNode.post(node.api("/api/v1/auth/logout"), "{\"logout\":\"Yes\"}",
        "Authorization", "Bearer " + token);
    assertEquals(200, logout.statusCode(), logout.body());

    assertRefused(token, "revoked");
    assertEquals(200, node.userinfo(node.bearer("alice", "alice-pw")).statusCode());
  }

  @Test
  @DisplayName("logout without {\"logout\":\"Yes\"} answers 400 and the token keeps working")
  void logoutNeedsYes() {
    HttpResponse<String> logout = TestNode.post(node.api("/api/v1/auth/logout"), "{\"logout\":\"No\"}",
        "Authorization", "Bearer " + token);

    assertEquals(400, logout.statusCode());
    assertEquals(200, node.userinfo(token).statusCode());
  }

  @Test
  @DisplayName("logout without a token answers 401")
  void logoutNeedsToken() {
    assertInvalidToken(TestNode.post(node.api("/api/v1/auth/logout"), "{\"logout\":\"Yes\"}"));
  }

  @Test
  @DisplayName("a token from node A is refused by node B, whose ephemeral key differs")
  void otherNodesToken(@TempDir Path otherDir) {
    try (TestNode other = TestNode.in(otherDir).alice().clock(clock).start()) {
      assertEquals(401, other.userinfo(token).statusCode());
      assertEquals(200, node.userinfo(token).statusCode());
    }
  }

  @Test
  @DisplayName("nodes with the same node id (same kid) still refuse each other's tokens: the secrets differ")
  void sameKidOtherSecret(@TempDir Path aDir, @TempDir Path bDir) {
    try (TestNode a = TestNode.in(aDir).alice().env("KEEP_NODE_ID", "twin").start();
        TestNode b = TestNode.in(bDir).alice().env("KEEP_NODE_ID", "twin").start()) {
      String fromA = a.bearer("alice", "alice-pw");
      assertEquals(Jwts.header(fromA).getString("kid"), Jwts.header(b.bearer("alice", "alice-pw")).getString("kid"));

      double before = b.rejections("bad_signature");
      assertInvalidToken(b.userinfo(fromA));
      assertEquals(before + 1, b.rejections("bad_signature"));
    }
  }

  @Test
  @DisplayName("an unknown path outside /api/v1 answers 404 as JSON")
  void notFoundIsJson() {
    HttpResponse<String> response = TestNode.get(node.api("/no/such/path"));

    assertEquals(404, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    assertEquals(404, new JsonObject(response.body()).getInteger("status"));
  }

  @Test
  @DisplayName("an unknown path under /api/v1 with a good token answers 404 as JSON")
  void notFoundWithTokenIsJson() {
    HttpResponse<String> response = TestNode.get(node.api("/api/v1/nothing-here"),
        "Authorization", "Bearer " + token);

    assertEquals(404, response.statusCode());
    assertEquals(404, new JsonObject(response.body()).getInteger("status"));
  }

  @Test
  @DisplayName("a wrong method on the login path answers a JSON error")
  void wrongMethodIsJson() {
    HttpResponse<String> response = TestNode.get(node.api("/api/v1/auth"));

    assertTrue(response.statusCode() >= 400, "status " + response.statusCode());
    assertEquals(response.statusCode(), new JsonObject(response.body()).getInteger("status"));
  }

  @Test
  @DisplayName("the JWKS never publishes the ephemeral key")
  void jwksWithoutEphemeral() {
    HttpResponse<String> response = TestNode.get(node.api("/.well-known/jwks.json"));

    assertEquals(200, response.statusCode());
    assertEquals(new JsonArray(), new JsonObject(response.body()).getJsonArray("keys"));
  }
}
