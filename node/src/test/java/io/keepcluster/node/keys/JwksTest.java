package io.keepcluster.node.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.keepcluster.node.testing.TestNode;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("JWKS and OIDC discovery")
class JwksTest {

  private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "k", "oth");

  @TempDir Path dir;
  private KeysetTestNode node;

  @BeforeEach
  void startNode() throws Exception {
    node = KeysetTestNode.start(dir);
  }

  @AfterEach
  void stopNode() throws Exception {
    node.close();
  }

  private static Clock ago(int seconds) {
    return Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-seconds));
  }

  /** A (RSA) signing, E (EC P-384) verifying, R (RSA) retiring. */
  private void threeKeysets() throws Exception {
    node.drop("R", KeyAlgorithmSpec.rsa(2048), ago(180));
    node.drop("E", KeyAlgorithmSpec.ec("P-384"), ago(120));
    node.drop("A", KeyAlgorithmSpec.rsa(2048), ago(60));
    node.awaitSigning("A");
    for (String file : new String[] {"R.json", "R.private.key.pem", "R.public.key.pem", "R.cert.pem"}) {
      Files.delete(dir.resolve(file));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> "retiring".equals(node.stateOf("R")));
  }

  private String jwksBody() throws Exception {
    var response = node.get(node.api("/.well-known/jwks.json"));
    assertEquals(200, response.statusCode());
    return response.body();
  }

  @Test
  @DisplayName("the JWKS lists every verifying keyset, including a retiring one")
  void listsEveryVerifyingKeyset() throws Exception {
    threeKeysets();
    JWKSet jwks = JWKSet.parse(jwksBody());
    assertEquals(Set.of("A", "E", "R"),
        Set.copyOf(jwks.getKeys().stream().map(JWK::getKeyID).toList()));
  }

  @Test
  @DisplayName("the JWKS never holds the ephemeral key nor any private key member")
  void neverEphemeralNorPrivate() throws Exception {
    String ephemeralKid = node.health().getJsonObject("keys").getString("ephemeral");
    assertEquals(0, new JsonObject(jwksBody()).getJsonArray("keys").size(),
        "a node with only its ephemeral key publishes no keys");
    threeKeysets();
    JsonArray keys = new JsonObject(jwksBody()).getJsonArray("keys");
    for (int i = 0; i < keys.size(); i++) {
      JsonObject key = keys.getJsonObject(i);
      assertFalse("oct".equals(key.getString("kty")), key.encode());
      assertFalse(key.getString("kid").startsWith("ephemeral-"), key.encode());
      assertFalse(key.getString("kid").equals(ephemeralKid), key.encode());
      for (String member : PRIVATE_MEMBERS) {
        assertFalse(key.containsKey(member), "JWKS key " + key.getString("kid") + " has private member " + member);
      }
    }
  }

  @Test
  @DisplayName("each JWKS key has kid, alg, use sig and an x5c whose certificate holds the same public key")
  void eachKeyIsComplete() throws Exception {
    threeKeysets();
    List<JWK> keys = JWKSet.parse(jwksBody()).getKeys();
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    for (JWK key : keys) {
      assertNotNull(key.getKeyID());
      assertNotNull(key.getAlgorithm(), key.getKeyID());
      assertEquals(KeyUse.SIGNATURE, key.getKeyUse(), key.getKeyID());
      assertNotNull(key.getX509CertChain(), key.getKeyID());
      assertFalse(key.getX509CertChain().isEmpty(), key.getKeyID());
      X509Certificate cert = (X509Certificate) x509.generateCertificate(
          new ByteArrayInputStream(key.getX509CertChain().get(0).decode()));
      if (key instanceof RSAKey rsa) {
        RSAPublicKey jwkKey = rsa.toRSAPublicKey();
        RSAPublicKey certKey = (RSAPublicKey) cert.getPublicKey();
        assertEquals(jwkKey.getModulus(), certKey.getModulus(), key.getKeyID());
        assertEquals(jwkKey.getPublicExponent(), certKey.getPublicExponent(), key.getKeyID());
        assertEquals("RS256", key.getAlgorithm().getName());
      } else {
        ECPublicKey jwkKey = ((ECKey) key).toECPublicKey();
        ECPublicKey certKey = (ECPublicKey) cert.getPublicKey();
        assertEquals(jwkKey.getW(), certKey.getW(), key.getKeyID());
        assertEquals("ES384", key.getAlgorithm().getName());
      }
    }
  }

  @Test
  @DisplayName("OIDC discovery names the issuer, the JWKS, userinfo and the signing algorithms")
  void openIdConfiguration() throws Exception {
    threeKeysets();
    var response = node.get(node.api("/.well-known/openid-configuration"));
    assertEquals(200, response.statusCode());
    JsonObject discovery = new JsonObject(response.body());
    assertEquals(TestNode.PUBLIC_URL, discovery.getString("issuer"),
        "the cluster issuer (publicUrl), not the keyset's JwtIssuer");
    String jwksUri = discovery.getString("jwks_uri");
    assertEquals(TestNode.PUBLIC_URL + "/.well-known/jwks.json", jwksUri);
    assertTrue(discovery.getString("userinfo_endpoint", "").endsWith("/api/v1/userinfo"), response.body());
    JsonArray algorithms = discovery.getJsonArray("id_token_signing_alg_values_supported");
    assertTrue(algorithms.contains("RS256") && algorithms.contains("ES384"), response.body());
    assertEquals(200, node.get(URI.create(jwksUri.replace(TestNode.PUBLIC_URL,
        "http://127.0.0.1:" + node.apiPort()))).statusCode(), "jwks_uri is served (behind publicUrl)");
  }
}
