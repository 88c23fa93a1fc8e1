package io.keepcluster.node.providers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import io.keepcluster.node.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * External JWT providers on a real node, against an independent IdP ({@link TestIdp}: its own
 * Vert.x server, tokens signed with Nimbus). Every refusal is checked against the node's
 * rejection counter, so the test proves why the token was refused.
 */
class ExternalProvidersTest {

  static final String AUD = "api://keep";
  static final String ENTRA_ISS = "https://login.example/tenant/v2.0";
  static final String RETIRED_ISS = "https://retired.example";

  @TempDir
  Path dir;

  private TestIdp idp;
  private TestNode node;

  @BeforeEach
  void start() {
    idp = new TestIdp();
    idp.addKey("k1");
    node = TestNode.in(dir).alice().overlay("jwt.json", providers(idp)).start();
    awaitStatus("acme", "ok");
    awaitStatus("entra", "ok");
  }

  /** acme: a base URL; entra: the discovery URL itself, userIdentifier email; retired: inactive. */
  static JsonObject providers(TestIdp idp) {
    return new JsonObject().put("jwt", new JsonObject()
        .put("acme", new JsonObject().put("active", true).put("providerUrl", idp.issuer())
            .put("iss", idp.issuer()).put("aud", AUD).put("algorithm", "RS256"))
        .put("entra", new JsonObject().put("providerUrl", idp.issuer() + "/.well-known/openid-configuration")
            .put("iss", ENTRA_ISS).put("aud", new JsonArray().add("other").add(AUD))
            .put("alg", new JsonArray().add("RS256")).put("userIdentifier", "email"))
        .put("retired", new JsonObject().put("active", false).put("providerUrl", idp.issuer())
            .put("iss", RETIRED_ISS).put("aud", AUD)));
  }

  @AfterEach
  void stop() {
    node.close();
    idp.close();
  }

  private JsonObject provider(String name) {
    JsonArray providers = new JsonObject(TestNode.get(node.health("/health")).body()).getJsonArray("providers");
    for (int i = 0; i < providers.size(); i++) {
      if (name.equals(providers.getJsonObject(i).getString("name"))) {
        return providers.getJsonObject(i);
      }
    }
    throw new AssertionError("no provider " + name + " in " + providers);
  }

  private void awaitStatus(String name, String status) {
    await().atMost(Duration.ofSeconds(10)).until(() -> status.equals(provider(name).getString("status")));
  }

  private String good() {
    return idp.sign("k1", idp.claims(AUD).build());
  }

  /** The token is refused with 401 and counted under {@code reason}. */
  private void assertRefused(String token, String reason) {
    double before = node.rejections(reason);
    HttpResponse<String> response = node.userinfo(token);
    assertEquals(401, response.statusCode(), response.body());
    assertEquals("Bearer error=\"invalid_token\"",
        response.headers().firstValue("WWW-Authenticate").orElse(null));
    assertEquals(before + 1, node.rejections(reason), "rejection reason " + reason);
  }

  @Test
  @DisplayName("a token of a discovery provider is accepted and userinfo names the provider and the user")
  void discoveryProvider() {
    HttpResponse<String> response = node.userinfo(good());

    assertEquals(200, response.statusCode(), response.body());
    JsonObject body = new JsonObject(response.body());
    assertEquals("alice@acme.test", body.getString("CN"));
    assertEquals(idp.issuer(), body.getString("iss"));
    assertEquals("acme", body.getJsonObject("verifiedBy").getString("provider"));
    assertEquals("provider", body.getJsonObject("verifiedBy").getString("source"));
    assertEquals("k1", body.getJsonObject("verifiedBy").getString("kid"));
  }

  @Test
  @DisplayName("/health lists each provider with status, lastRefresh and kids; an inactive one says inactive")
  void health() {
    JsonObject acme = provider("acme");
    assertEquals(List.of("k1"), acme.getJsonArray("kids").getList());
    assertTrue(acme.getString("lastRefresh") != null, acme.encode());
    assertEquals("inactive", provider("retired").getString("status"));
    assertEquals("UP", new JsonObject(TestNode.get(node.health("/health")).body()).getString("status"));
  }

  @Test
  @DisplayName("the IdP rolls over to a new kid: one refetch, then its tokens are accepted without a restart")
  void rollover() {
    int before = idp.jwksRequests();
    idp.addKey("k2");
    String token = idp.sign("k2", idp.claims(AUD).build());

    await().atMost(Duration.ofSeconds(10)).until(() -> node.userinfo(token).statusCode() == 200);

    assertEquals(before + 1, idp.jwksRequests());
    assertEquals(List.of("k1", "k2"), provider("acme").getJsonArray("kids").getList());
  }

  @Test
  @DisplayName("many tokens with unknown kids within 30 s cause one JWKS fetch")
  void unknownKidRateLimit() throws InterruptedException {
    int before = idp.jwksRequests();
    for (int i = 0; i < 25; i++) {
      String forged = idp.sign("k1", idp.claims(AUD).build(), h -> h.keyID("nope-" + Math.random()));
      assertEquals(401, node.userinfo(forged).statusCode());
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> idp.jwksRequests() == before + 1);
    Thread.sleep(500);

    assertEquals(before + 1, idp.jwksRequests());
    assertTrue(node.rejections("unknown_kid") >= 25);
  }

  @Test
  @DisplayName("JWKS fetches are counted by provider and outcome: ok, then unreachable once the IdP is down")
  void fetchesCounted() {
    awaitStatus("acme", "ok");
    assertTrue(node.counter("keepcluster_jwks_fetches_total", "outcome=\"ok\",provider=\"acme\"") >= 1,
        node.scrapeMetrics());

    idp.stop();
    node.userinfo(idp.sign("k1", idp.claims(AUD).build(), h -> h.keyID("new-kid")));

    await().atMost(Duration.ofSeconds(10)).until(() ->
        node.counter("keepcluster_jwks_fetches_total", "outcome=\"unreachable\",provider=\"acme\"") >= 1);
  }

  @Test
  @DisplayName("the IdP goes down: cached keys keep verifying and /health says unreachable")
  void idpDown() {
    idp.stop();
    node.userinfo(idp.sign("k1", idp.claims(AUD).build(), h -> h.keyID("new-kid")));

    awaitStatus("acme", "unreachable");

    assertEquals(200, node.userinfo(good()).statusCode());
    assertEquals(List.of("k1"), provider("acme").getJsonArray("kids").getList());
    assertTrue(provider("acme").getString("error").contains("127.0.0.1"), provider("acme").encode());
  }

  @Test
  @DisplayName("a garbage JWKS never replaces good keys: status error, old keys keep verifying")
  void garbageJwks() {
    idp.serveJwks("{\"keys\": 42}");
    node.userinfo(idp.sign("k1", idp.claims(AUD).build(), h -> h.keyID("new-kid")));

    awaitStatus("acme", "error");

    assertEquals(200, node.userinfo(good()).statusCode());
    assertEquals(List.of("k1"), provider("acme").getJsonArray("kids").getList());
  }

  @Test
  @DisplayName("an oversized JWKS (over 1 MiB) is refused and good keys stay")
  void oversizedJwks() {
    idp.serveJwks("{\"keys\":[],\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");
    node.userinfo(idp.sign("k1", idp.claims(AUD).build(), h -> h.keyID("new-kid")));

    awaitStatus("acme", "error");

    assertTrue(provider("acme").getString("error").contains("larger than"), provider("acme").encode());
    assertEquals(200, node.userinfo(good()).statusCode());
  }

  @Test
  @DisplayName("alg outside the provider's allow-list (PS256 with an RS256-only provider) is refused")
  void algorithmOutsideAllowList() throws Exception {
    String token = TestIdp.sign(new RSASSASigner(idp.key("k1")),
        new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("k1").type(JOSEObjectType.JWT).build(),
        idp.claims(AUD).build());

    assertRefused(token, "algorithm_not_allowed");
  }

  @Test
  @DisplayName("HS256 signed with the provider's RSA public key as the secret is refused")
  void hmacWithPublicKey() throws Exception {
    byte[] publicKey = idp.key("k1").toRSAPublicKey().getEncoded();
    String token = TestIdp.sign(new MACSigner(publicKey),
        new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").type(JOSEObjectType.JWT).build(),
        idp.claims(AUD).build());

    assertRefused(token, "algorithm_not_allowed");
  }

  @Test
  @DisplayName("jku, x5u and jwk headers are refused even on a good provider token")
  void embeddedKeys() {
    assertRefused(idp.sign("k1", idp.claims(AUD).build(),
        h -> h.jwkURL(URI.create("https://evil.example/jwks"))), "embedded_key");
    assertRefused(idp.sign("k1", idp.claims(AUD).build(),
        h -> h.x509CertURL(URI.create("https://evil.example/cert"))), "embedded_key");
    assertRefused(idp.sign("k1", idp.claims(AUD).build(),
        h -> h.jwk(idp.key("k1").toPublicJWK())), "embedded_key");
  }

  @Test
  @DisplayName("a wrong aud is refused")
  void wrongAudience() {
    assertRefused(idp.sign("k1", idp.claims("api://someone-else").build()), "wrong_audience");
  }

  @Test
  @DisplayName("an iss no provider has is not a provider token: the provider's kid means nothing there")
  void wrongIssuer() {
    assertRefused(idp.sign("k1", idp.claims(AUD).issuer("https://evil.example").build()), "unknown_kid");
  }

  @Test
  @DisplayName("a token of an inactive provider is refused")
  void inactiveProvider() {
    assertRefused(idp.sign("k1", idp.claims(AUD).issuer(RETIRED_ISS).build()), "provider_inactive");
  }

  @Test
  @DisplayName("an expired provider token is refused, and so is one living longer than maxJwtDuration")
  void times() {
    Instant now = Instant.now();
    assertRefused(idp.sign("k1", idp.claims(AUD).issueTime(Date.from(now.minusSeconds(7200)))
        .expirationTime(Date.from(now.minusSeconds(3600))).build()), "expired");
    assertRefused(idp.sign("k1", idp.claims(AUD).issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofDays(3)))).build()), "lifetime_too_long");
  }

  @Test
  @DisplayName("identity: upn comes before preferred_username; scp as a list is joined with spaces")
  void identityAndScope() {
    String token = idp.sign("k1", idp.claims(AUD).claim("upn", "alice@corp.example")
        .claim("scp", List.of("MAIL", "$DATA")).build());

    JsonObject body = new JsonObject(node.userinfo(token).body());

    assertEquals("alice@corp.example", body.getString("CN"));
    assertEquals("MAIL $DATA", body.getString("scope"));
  }

  @Test
  @DisplayName("userIdentifier picks that claim alone; a token without it names no one and is refused")
  void userIdentifier() {
    String token = idp.sign("k1", idp.claims(AUD).issuer(ENTRA_ISS).claim("email", "al@corp.example")
        .claim("scope", "MAIL").build());

    JsonObject body = new JsonObject(node.userinfo(token).body());

    assertEquals("al@corp.example", body.getString("CN"));
    assertEquals("MAIL", body.getString("scope"));
    assertEquals("entra", body.getJsonObject("verifiedBy").getString("provider"));
    assertRefused(idp.sign("k1", idp.claims(AUD).issuer(ENTRA_ISS).build()), "no_identity");
  }

  @Test
  @DisplayName("the cluster's own tokens keep working next to providers")
  void ownTokens() {
    assertEquals(200, node.userinfo(node.bearer("alice", "alice-pw")).statusCode());
  }
}
