package io.keepcluster.node.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.keepcluster.node.testing.TestNode;
import io.keepcluster.shared.keys.PemKeys;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider configured with a static PEM public key (no network), on a node where Domino login
 * is disabled: the provider's tokens are then the only way in.
 */
class StaticKeyProviderTest {

  static final String ISS = "https://static.example";

  @TempDir
  Path dir;

  private ECKey key;
  private TestNode node;

  @BeforeEach
  void start() throws Exception {
    key = new ECKeyGenerator(Curve.P_256).keyID("s1").generate();
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("static.pub.pem"), PemKeys.toPem(key.toECPublicKey()));
    node = TestNode.in(dir).alice().overlay("jwt.json", new JsonObject()
        .put("disableDominoLogin", true)
        .put("jwt", new JsonObject().put("static", new JsonObject().put("active", true)
            .put("algorithm", "ES256").put("iss", ISS).put("kid", "s1").put("aud", "api://keep")
            .put("keyFile", "static.pub.pem")))).start();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private String token() throws Exception {
    Instant now = Instant.now();
    com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("s1").type(JOSEObjectType.JWT).build(),
        new JWTClaimsSet.Builder().issuer(ISS).audience("api://keep").subject("bob")
            .claim("email", "bob@static.example").claim("scope", "MAIL")
            .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  @Test
  @DisplayName("a token signed with the static key is accepted; /health shows the provider ok with its kid")
  void staticKey() throws Exception {
    HttpResponse<String> response = node.userinfo(token());

    assertEquals(200, response.statusCode(), response.body());
    JsonObject body = new JsonObject(response.body());
    assertEquals("bob@static.example", body.getString("CN"));
    assertEquals("static", body.getJsonObject("verifiedBy").getString("provider"));
    JsonObject provider = new JsonObject(TestNode.get(node.health("/health")).body())
        .getJsonArray("providers").getJsonObject(0);
    assertEquals("ok", provider.getString("status"));
    assertEquals("s1", provider.getJsonArray("kids").getString(0));
  }

  @Test
  @DisplayName("disableDominoLogin: POST /api/v1/auth answers 403 naming the setting, provider tokens still work")
  void dominoLoginDisabled() throws Exception {
    HttpResponse<String> login = node.login("alice", "alice-pw");

    assertEquals(403, login.statusCode());
    JsonObject body = new JsonObject(login.body());
    assertEquals(403, body.getInteger("status"));
    assertTrue(body.getString("message").contains("disableDominoLogin"), login.body());
    assertEquals(200, node.userinfo(token()).statusCode());
  }
}
