package io.keepcluster.node.providers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.testing.TestNode;
import io.keepcluster.shared.keys.PemKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

/** The {@code jwt} section is applied by a running node, without a restart. */
class ProviderReloadTest {

  private static final String ISS = "https://hot.example";
  private static final Duration WITHIN = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private ECKey key;
  private TestNode node;

  @BeforeEach
  void start() throws Exception {
    key = new ECKeyGenerator(Curve.P_256).keyID("h1").generate();
    node = TestNode.in(dir).alice().start();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private void writeProvider(boolean active) throws Exception {
    Files.writeString(dir.resolve("hot.pub.pem"), PemKeys.toPem(key.toECPublicKey()));
    Files.writeString(dir.resolve("60-hot.json"), new JsonObject().put("jwt", new JsonObject()
        .put("hot", new JsonObject().put("active", active).put("algorithm", "ES256").put("iss", ISS)
            .put("kid", "h1").put("aud", "api://keep").put("keyFile", "hot.pub.pem"))).encode());
  }

  private String token() throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("h1").type(JOSEObjectType.JWT).build(),
        new JWTClaimsSet.Builder().issuer(ISS).audience("api://keep").subject("carol")
            .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  private JsonArray healthProviders() {
    return new JsonObject(TestNode.get(node.health("/health")).body()).getJsonArray("providers");
  }

  @Test
  @DisplayName("a jwt overlay dropped into a running node's folder makes its provider's tokens verify, and /health lists it")
  void dropProvider() throws Exception {
    String token = token();
    assertEquals(401, node.userinfo(token).statusCode());

    writeProvider(true);

    await().atMost(WITHIN).until(() -> node.userinfo(token).statusCode() == 200);
    JsonObject provider = healthProviders().getJsonObject(0);
    assertEquals("hot", provider.getString("name"));
    assertEquals("ok", provider.getString("status"));
    assertEquals("h1", provider.getJsonArray("kids").getString(0));
  }

  @Test
  @DisplayName("active:false on a running node refuses the provider's tokens at once, and removing the overlay forgets it")
  void deactivateProvider() throws Exception {
    String token = token();
    writeProvider(true);
    await().atMost(WITHIN).until(() -> node.userinfo(token).statusCode() == 200);

    writeProvider(false);
    await().atMost(WITHIN).until(() -> node.userinfo(token).statusCode() == 401);
    assertEquals(1, healthProviders().size());

    Files.delete(dir.resolve("60-hot.json"));
    await().atMost(WITHIN).until(() -> healthProviders().isEmpty());
    assertEquals(401, node.userinfo(token).statusCode());
  }

  @Test
  @DisplayName("a changed keyFile is read when the descriptor is applied: the old key stops verifying")
  void newKeyFile() throws Exception {
    String oldToken = token();
    writeProvider(true);
    await().atMost(WITHIN).until(() -> node.userinfo(oldToken).statusCode() == 200);

    key = new ECKeyGenerator(Curve.P_256).keyID("h1").generate();
    Files.writeString(dir.resolve("hot.pub.pem"), PemKeys.toPem(key.toECPublicKey()));
    // The key file is not an overlay: touching the descriptor applies it.
    Files.writeString(dir.resolve("60-hot.json"), Files.readString(dir.resolve("60-hot.json")) + " ");
    String newToken = token();

    await().atMost(WITHIN).until(() -> node.userinfo(newToken).statusCode() == 200);
    assertEquals(401, node.userinfo(oldToken).statusCode());
  }
}
