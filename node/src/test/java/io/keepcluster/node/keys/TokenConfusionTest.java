package io.keepcluster.node.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.PemKeys;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("tokens forged with keyset A's own material")
class TokenConfusionTest {

  @TempDir Path dir;
  private KeysetTestNode node;
  private KeysetFiles a;
  private SignedJWT tokenOfA;

  @BeforeEach
  void startNodeSigningWithA() throws Exception {
    node = KeysetTestNode.start(dir);
    a = node.dropAndAwaitSigning("A");
    tokenOfA = SignedJWT.parse(node.bearer());
    assertEquals(JWSAlgorithm.RS256, tokenOfA.getHeader().getAlgorithm());
  }

  @AfterEach
  void stopNode() throws Exception {
    node.close();
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** header.payload(of A's token).HMAC-SHA256(secret). */
  private String hmacSigned(JsonObject header, byte[] secret) throws Exception {
    String input = b64(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + tokenOfA.getParsedParts()[1].toString();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private SignedJWT resignedWithPrivateKey(JWSAlgorithm algorithm) throws Exception {
    PrivateKey key = PemKeys.parsePrivateKey(a.privateKeyPem());
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID("A").build(),
        tokenOfA.getJWTClaimsSet());
    jwt.sign(new RSASSASigner(key));
    return jwt;
  }

  private void assertRefused(String token) throws Exception {
    HttpResponse<String> response = node.userinfo(token);
    assertEquals(401, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"),
        response.headers().map().toString());
  }

  @Test
  @DisplayName("control: the same claims re-signed RS256 with A's private key are accepted")
  void controlResignedRs256IsAccepted() throws Exception {
    assertEquals(200, node.userinfo(resignedWithPrivateKey(JWSAlgorithm.RS256).serialize()).statusCode());
  }

  @Test
  @DisplayName("HS256 with A's public key PEM as the HMAC secret (RS/HS confusion) is refused")
  void hs256WithPublicPemIsRefused() throws Exception {
    JsonObject header = new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", "A");
    assertRefused(hmacSigned(header, a.publicKeyPem().getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  @DisplayName("HS256 with A's DER public key as the HMAC secret (RS/HS confusion) is refused")
  void hs256WithPublicDerIsRefused() throws Exception {
    JsonObject header = new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", "A");
    assertRefused(hmacSigned(header, PemKeys.parsePublicKey(a.publicKeyPem()).getEncoded()));
  }

  @Test
  @DisplayName("header alg RS256 over an HMAC signature made with A's public key is refused")
  void rs256HeaderOverHmacIsRefused() throws Exception {
    JsonObject header = new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", "A");
    assertRefused(hmacSigned(header, a.publicKeyPem().getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  @DisplayName("a token with kid A but alg PS256, really signed with A's private key, is refused")
  void ps256WithKidAIsRefused() throws Exception {
    assertRefused(resignedWithPrivateKey(JWSAlgorithm.PS256).serialize());
  }
}
