package io.keepcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.CompressionAlgorithm;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESEncrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.keepcluster.node.testing.Jwts;
import io.keepcluster.node.testing.TestNode;
import io.keepcluster.node.testing.TwoKeysetNode;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.PemKeys;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10, JWE: a real token from a real login, encrypted to a keyset's public key, is
 * decrypted by a real node and its inner token verified as a bare one; every other JWE shape is
 * refused with the one generic 401 and its reason counted in /metrics. The node holds an RSA
 * keyset ("ARsa") and an EC keyset ("Ec"); tokens are taken while each one signs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("encrypted tokens (JWE) against a real node")
class JweTokenTest {

  private static final String GENERIC_BODY =
      new JsonObject().put("status", 401).put("message", "Invalid or expired token").encode();

  @TempDir static Path dir;
  private TwoKeysetNode fixture;
  private TestNode node;
  private final Map<String, KeysetFiles> keysets = new LinkedHashMap<>();

  @BeforeAll
  void startNodeWithBothKeysets() throws IOException {
    fixture = TwoKeysetNode.start(dir, 6);
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
    return fixture.token(kid);
  }

  private PublicKey publicKey(String kid) {
    try {
      return PemKeys.parsePublicKey(keysets.get(kid).publicKeyPem());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The encrypter and alg a client uses for {@code kid}'s public key. */
  private JWEEncrypter encrypter(String kid) throws JOSEException {
    return publicKey(kid) instanceof ECPublicKey ec ? new ECDHEncrypter(ec) : new RSAEncrypter((RSAPublicKey) publicKey(kid));
  }

  private static JWEAlgorithm algorithm(String kid) {
    return kid.equals("Ec") ? JWEAlgorithm.ECDH_ES_A256KW : JWEAlgorithm.RSA_OAEP_256;
  }

  /** The header a well-behaved client sends: the keyset's alg, A256GCM, cty JWT, kid = NAME. */
  private static JWEHeader.Builder header(String kid) {
    return new JWEHeader.Builder(algorithm(kid), EncryptionMethod.A256GCM).contentType("JWT").keyID(kid);
  }

  private static String encrypt(JWEHeader header, String content, JWEEncrypter encrypter) {
    try {
      JWEObject jwe = new JWEObject(header, new Payload(content));
      jwe.encrypt(encrypter);
      return jwe.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private String wrap(String kid, String token) throws JOSEException {
    return encrypt(header(kid).build(), token, encrypter(kid));
  }

  private void assertRefused(String token, String reason) {
    double before = node.rejections(reason);

    HttpResponse<String> response = node.userinfo(token);

    assertEquals(401, response.statusCode(), response.body());
    assertEquals(GENERIC_BODY, response.body());
    assertEquals("Bearer error=\"invalid_token\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
    assertEquals(before + 1, node.rejections(reason), "rejection reason " + reason);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ARsa", "Ec"})
  @DisplayName("a login token encrypted to the signing keyset's public key is accepted with the inner token's claims")
  void accepted(String kid) throws JOSEException {
    String token = token(kid);

    HttpResponse<String> response = node.userinfo(wrap(kid, token));

    assertEquals(200, response.statusCode(), response.body());
    JsonObject body = new JsonObject(response.body());
    JsonObject claims = Jwts.payload(token);
    assertEquals(claims.getString("sub"), body.getString("sub"));
    assertEquals(claims.getString("scope"), body.getString("scope"));
    assertEquals(claims.getLong("exp"), body.getLong("exp"));
    assertEquals(kid, body.getJsonObject("verifiedBy").getString("kid"));
  }

  @Test
  @DisplayName("a token signed by one keyset and encrypted to the other keyset is accepted")
  void crossKeysets() throws JOSEException {
    assertEquals(200, node.userinfo(wrap("Ec", token("ARsa"))).statusCode());
    assertEquals(200, node.userinfo(wrap("ARsa", token("Ec"))).statusCode());
  }

  @Test
  @DisplayName("cty is compared case-insensitively: cty jwt is accepted")
  void lowerCaseCty() throws JOSEException {
    assertEquals(200, node.userinfo(encrypt(header("Ec").contentType("jwt").build(), token("Ec"), encrypter("Ec")))
        .statusCode());
  }

  @Test
  @DisplayName("a kid naming no keyset is refused (jwe_unknown_kid), as is a JWE without kid")
  void unknownKid() throws JOSEException {
    assertRefused(encrypt(header("Ec").keyID("Nope").build(), token("Ec"), encrypter("Ec")), "jwe_unknown_kid");
    assertRefused(encrypt(header("Ec").keyID(null).build(), token("Ec"), encrypter("Ec")), "jwe_unknown_kid");
  }

  @Test
  @DisplayName("the ephemeral key's kid cannot decrypt (jwe_unknown_kid)")
  void ephemeralKid() throws JOSEException {
    assertRefused(encrypt(header("Ec").keyID(node.ephemeralKid()).build(), token("Ec"), encrypter("Ec")),
        "jwe_unknown_kid");
  }

  @Test
  @DisplayName("ECDH-ES+A256KW to the RSA keyset's kid, RSA-OAEP-256 to the EC keyset's kid are refused (jwe_key_mismatch)")
  void keyTypeMismatch() throws JOSEException {
    JWEEncrypter ecEncrypter = new ECDHEncrypter(new ECKeyGenerator(Curve.P_256).generate().toECPublicKey());
    assertRefused(encrypt(header("Ec").keyID("ARsa").build(), token("Ec"), ecEncrypter), "jwe_key_mismatch");
    JWEEncrypter rsaEncrypter = new RSAEncrypter(new RSAKeyGenerator(2048).generate().toRSAPublicKey());
    assertRefused(encrypt(header("ARsa").keyID("Ec").build(), token("Ec"), rsaEncrypter), "jwe_key_mismatch");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dir", "A128KW", "RSA1_5", "RSA-OAEP"})
  @DisplayName("any other key-management alg is refused (jwe_unsupported)")
  void otherAlgorithms(String alg) throws JOSEException {
    JWEAlgorithm algorithm = JWEAlgorithm.parse(alg);
    JWEEncrypter encrypter = switch (alg) {
      case "dir" -> new DirectEncrypter(new byte[32]);
      case "A128KW" -> new AESEncrypter(new byte[16]);
      default -> encrypter("ARsa");
    };
    JWEHeader header = new JWEHeader.Builder(algorithm, EncryptionMethod.A256GCM).contentType("JWT")
        .keyID("ARsa").build();

    assertRefused(encrypt(header, token("Ec"), encrypter), "jwe_unsupported");
  }

  @Test
  @DisplayName("enc A128CBC-HS256 is refused (jwe_unsupported)")
  void otherEncryption() throws JOSEException {
    JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A128CBC_HS256)
        .contentType("JWT").keyID("Ec").build();

    assertRefused(encrypt(header, token("Ec"), encrypter("Ec")), "jwe_unsupported");
  }

  @Test
  @DisplayName("a JWE without cty, or with cty other than JWT, is refused (jwe_unsupported)")
  void contentType() throws JOSEException {
    assertRefused(encrypt(header("Ec").contentType(null).build(), token("Ec"), encrypter("Ec")), "jwe_unsupported");
    assertRefused(encrypt(header("Ec").contentType("JOSE").build(), token("Ec"), encrypter("Ec")), "jwe_unsupported");
  }

  @Test
  @DisplayName("a compressed JWE (zip DEF) is refused before decryption (jwe_unsupported)")
  void compressed() throws JOSEException {
    JWEHeader header = header("Ec").compressionAlgorithm(CompressionAlgorithm.DEF).build();

    assertRefused(encrypt(header, token("Ec"), encrypter("Ec")), "jwe_unsupported");
  }

  @Test
  @DisplayName("a JWE naming a key URL (jku) is refused (embedded_key)")
  void keyUrl() throws JOSEException {
    JWEHeader header = header("Ec").jwkURL(URI.create("https://attacker.test/jwks.json")).build();

    assertRefused(encrypt(header, token("Ec"), encrypter("Ec")), "embedded_key");
  }

  @ParameterizedTest(name = "part {0}")
  @ValueSource(ints = {1, 2, 3, 4})
  @DisplayName("a tampered encrypted key, IV, ciphertext or tag is refused (jwe_undecryptable)")
  void tampered(int part) throws JOSEException {
    String[] parts = wrap("ARsa", token("Ec")).split("\\.", -1);
    char first = parts[part].charAt(0);
    parts[part] = (first == 'A' ? 'B' : 'A') + parts[part].substring(1); // still canonical

    assertRefused(String.join(".", parts), "jwe_undecryptable");
  }

  @Test
  @DisplayName("a JWE encrypted to another key under a held keyset's kid is refused (jwe_undecryptable)")
  void wrongKey() throws JOSEException {
    JWEEncrypter stranger = new ECDHEncrypter(new ECKeyGenerator(Curve.P_256).generate().toECPublicKey());

    assertRefused(encrypt(header("Ec").build(), token("Ec"), stranger), "jwe_undecryptable");
  }

  @Test
  @DisplayName("a JWE part re-spelled with = padding is refused (non_canonical)")
  void padded() throws JOSEException {
    String jwe = wrap("Ec", token("Ec"));
    UnaryOperator<String> pad = part -> part + "=".repeat((4 - part.length() % 4) % 4);
    String[] parts = jwe.split("\\.", -1);
    int i = parts[4].length() % 4 != 0 ? 4 : 3;
    parts[i] = pad.apply(parts[i]);

    assertRefused(String.join(".", parts), "non_canonical");
  }

  @Test
  @DisplayName("a JWE whose inner token has expired is refused (expired)")
  void innerExpired() throws JOSEException {
    String token = token("ARsa");
    JsonObject claims = Jwts.payload(token);
    long now = Instant.now().getEpochSecond();
    claims.put("iat", now - 7200).put("exp", now - 3600);
    JWSObject expired;
    try {
      expired = new JWSObject(JWSHeader.parse(Jwts.header(token).encode()), new Payload(claims.encode()));
      expired.sign(new RSASSASigner(PemKeys.parsePrivateKey(keysets.get("ARsa").privateKeyPem())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }

    assertRefused(wrap("ARsa", expired.serialize()), "expired");
  }

  @Test
  @DisplayName("after logout of the inner token, its JWE is refused too (revoked)")
  void innerLoggedOut() throws JOSEException {
    String token = token("Ec");
    String jwe = wrap("Ec", token);
    assertEquals(200, node.userinfo(jwe).statusCode());

    HttpResponse<String> logout = TestNode.post(node.api("/api/v1/auth/logout"), "{\"logout\":\"Yes\"}",
        "Authorization", "Bearer " + token);
    assertEquals(200, logout.statusCode(), logout.body());

    assertRefused(jwe, "revoked");
  }

  @Test
  @DisplayName("a JWE wrapping another JWE is refused (jwe_unsupported)")
  void nested() throws JOSEException {
    String inner = wrap("Ec", token("Ec"));

    assertRefused(wrap("ARsa", inner), "jwe_unsupported");
  }

  @Test
  @DisplayName("a JWE wrapping something that is not a JWS is refused (malformed)")
  void notAJws() throws JOSEException {
    assertRefused(wrap("Ec", "hello"), "malformed");
  }
}
