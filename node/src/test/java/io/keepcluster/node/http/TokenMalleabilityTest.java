package io.keepcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import io.keepcluster.node.testing.Jwts;
import io.keepcluster.node.testing.Respellings;
import io.keepcluster.node.testing.TestNode;
import io.keepcluster.node.testing.TwoKeysetNode;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.PemKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8, "one spelling": every other spelling of a real token from a real login is refused by
 * a real node, with the one generic 401 and the precise reason counted in /metrics only. One
 * node holds an RSA keyset ("ARsa", RS256) and an EC keyset ("Ec", ES256); a token is taken from
 * a login while each one signs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("re-spelled tokens against a real node")
class TokenMalleabilityTest {

  private static final String GENERIC_BODY =
      new JsonObject().put("status", 401).put("message", "Invalid or expired token").encode();

  @TempDir static Path dir;
  private TwoKeysetNode fixture;
  private TestNode node;
  private final Map<String, KeysetFiles> keysets = new LinkedHashMap<>();

  @BeforeAll
  void startNodeWithBothKeysets() throws IOException {
    fixture = TwoKeysetNode.start(dir, 20);
    node = fixture.node();
    keysets.put(TwoKeysetNode.RSA, fixture.keyset(TwoKeysetNode.RSA));
    keysets.put(TwoKeysetNode.EC, fixture.keyset(TwoKeysetNode.EC));
  }

  @AfterAll
  void stopNode() {
    fixture.close();
  }

  /** An unused token from a real login, signed by {@code kid}'s keyset. */
  private String token(String kid) {
    String token = fixture.token(kid);
    assertEquals(algorithm(kid).getName(), Jwts.header(token).getString("alg"));
    return token;
  }

  /** A token of {@code kid} whose signature has a - or _ (so the +/ alphabet changes it). */
  private String tokenWithUrlSafeSignature(String kid) {
    for (int i = 0; i < 10; i++) {
      String token = token(kid);
      if (Respellings.hasUrlSafeCharacters(token)) {
        return token;
      }
    }
    throw new AssertionError("10 signatures without - or _");
  }

  private static JWSAlgorithm algorithm(String kid) {
    return kid.equals("Ec") ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
  }

  private JWSSigner signer(String kid) {
    try {
      PrivateKey key = PemKeys.parsePrivateKey(keysets.get(kid).privateKeyPem());
      return key instanceof ECPrivateKey ec ? new ECDSASigner(ec) : new RSASSASigner(key);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** 401, the generic body, the Bearer challenge, and {@code reason} counted once in /metrics. */
  private void assertRefused(String token, String reason) {
    double before = node.rejections(reason);

    HttpResponse<String> response = node.userinfo(token);

    assertEquals(401, response.statusCode(), response.body());
    assertEquals(GENERIC_BODY, response.body());
    assertEquals("Bearer error=\"invalid_token\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
    assertEquals(before + 1, node.rejections(reason), "rejection reason " + reason);
  }

  private void assertAccepted(String token) {
    HttpResponse<String> response = node.userinfo(token);
    assertEquals(200, response.statusCode(), response.body());
  }

  /** Each attack of issue 8 as a function from a valid token to its re-spelling. */
  private Map<String, Supplier<String>> respellings(String kid, String token) {
    Map<String, Supplier<String>> all = new LinkedHashMap<>();
    all.put("padding", () -> Respellings.paddedSignature(token));
    all.put("+/ alphabet", () -> Respellings.standardAlphabetSignature(token));
    all.put("altered last character", () -> Respellings.alteredLastCharacter(token));
    if (kid.equals("Ec")) {
      all.put("high-S", () -> Respellings.highS(token, JWSAlgorithm.ES256));
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ARsa", "Ec"})
  @DisplayName("the signature with = padding is refused (non_canonical); the original still works")
  void padding(String kid) {
    String token = token(kid);

    assertRefused(Respellings.paddedSignature(token), "non_canonical");
    assertAccepted(token);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ARsa", "Ec"})
  @DisplayName("the signature in the +/ alphabet is refused (non_canonical); the original still works")
  void standardAlphabet(String kid) {
    String token = tokenWithUrlSafeSignature(kid);

    assertRefused(Respellings.standardAlphabetSignature(token), "non_canonical");
    assertAccepted(token);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ARsa", "Ec"})
  @DisplayName("the signature's last character with non-zero unused bits is refused (non_canonical)")
  void alteredLastCharacter(String kid) {
    String token = token(kid);

    assertRefused(Respellings.alteredLastCharacter(token), "non_canonical");
    assertAccepted(token);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ARsa", "Ec"})
  @DisplayName("crit: [] signed with the keyset's own private key is refused (malformed)")
  void emptyCrit(String kid) {
    String token = token(kid);
    JsonObject header = Jwts.header(token).put("crit", new JsonArray());

    assertRefused(Respellings.signedWithHeader(token, header, signer(kid)), "malformed");
    assertAccepted(token);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ARsa", "Ec"})
  @DisplayName("crit: [\"exp\"] signed with the keyset's own private key is refused (unknown_critical_header)")
  void critNamingExp(String kid) {
    String token = token(kid);
    JsonObject header = Jwts.header(token).put("crit", new JsonArray().add("exp"));

    assertRefused(Respellings.signedWithHeader(token, header, signer(kid)), "unknown_critical_header");
    assertAccepted(token);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ARsa", "Ec"})
  @DisplayName("control: the same header re-signed with the keyset's private key is accepted")
  void controlResigned(String kid) {
    String token = token(kid);

    assertAccepted(Respellings.signedWithHeader(token, Jwts.header(token), signer(kid)));
  }

  @org.junit.jupiter.api.Test
  @DisplayName("an ES256 signature turned high-S (n - S of the raw R||S) is refused (high_s_signature)")
  void highS() {
    String token = node.bearer("alice", "alice-pw");
    assertEquals("Ec", Jwts.header(token).getString("kid"));

    assertRefused(Respellings.highS(token, JWSAlgorithm.ES256), "high_s_signature");
    assertAccepted(token);
  }

  @org.junit.jupiter.api.Test
  @DisplayName("an unknown kid, another key's alg and a bad signature get the very same 401: kids and algs stay secret")
  void noOracle() {
    String token = token("ARsa");

    assertRefused(Jwts.withHeader(token, h -> h.put("kid", "NoSuchKid")), "unknown_kid");
    assertRefused(Jwts.withHeader(token, h -> h.put("alg", "ES256")), "algorithm_mismatch");
    assertRefused(Jwts.withPayload(token, p -> p.put("scope", "ADMIN")), "bad_signature");
    assertRefused(Jwts.withHeader(token, h -> h.put("kid", "Ec")), "algorithm_mismatch");
    assertRefused("", "missing");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ARsa", "Ec"})
  @DisplayName("after logout, the token and every re-spelling of it are refused")
  void logoutCoversEverySpelling(String kid) {
    String token = tokenWithUrlSafeSignature(kid);
    HttpResponse<String> logout = TestNode.post(node.api("/api/v1/auth/logout"), "{\"logout\":\"Yes\"}",
        "Authorization", "Bearer " + token);
    assertEquals(200, logout.statusCode(), logout.body());

    assertRefused(token, "revoked");
    for (Map.Entry<String, Supplier<String>> respelling : respellings(kid, token).entrySet()) {
      String respelled = respelling.getValue().get();
      assertNotEquals(token, respelled, respelling.getKey());
      HttpResponse<String> response = node.userinfo(respelled);
      assertEquals(401, response.statusCode(), respelling.getKey() + ": " + response.body());
      assertEquals(GENERIC_BODY, response.body(), respelling.getKey());
    }
    assertTrue(node.rejections("non_canonical") > 0);
  }
}
