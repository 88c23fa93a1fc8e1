package io.keepcluster.node.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.testing.Jwts;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetLoader;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("one cluster issuer: the same iss for every key and across rotations")
class ClusterIssuerTest {

  private static final String PUBLIC_URL = "https://sso.acme.test/keep";
  private static final KeyAlgorithmSpec RSA = KeyAlgorithmSpec.rsa(2048);

  @TempDir Path dir;

  private static Clock ago(int seconds) {
    return Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-seconds));
  }

  private static String issOf(String token) {
    return Jwts.payload(token).getString("iss");
  }

  private KeysetTestNode start(Map<String, String> env) throws Exception {
    KeysetTestNode.prepare(dir);
    return KeysetTestNode.startOn(dir, env);
  }

  @Test
  @DisplayName("iss is publicUrl for the ephemeral key and for every keyset, before and after a rotation")
  void sameIssuerAcrossRotation() throws Exception {
    try (KeysetTestNode node = start(Map.of("KEEP_PUBLIC_URL", PUBLIC_URL))) {
      String ephemeral = node.bearer();
      assertTrue(KeysetTestNode.kidOf(ephemeral).startsWith("ephemeral-"));
      assertEquals(PUBLIC_URL, issOf(ephemeral));

      node.drop("A", RSA, ago(60));
      node.awaitSigning("A");
      String tokenOfA = node.bearer();
      assertEquals("A", KeysetTestNode.kidOf(tokenOfA));
      assertEquals(PUBLIC_URL, issOf(tokenOfA));

      node.drop("B", KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC());
      node.awaitSigning("B");
      String tokenOfB = node.bearer();
      assertEquals("B", KeysetTestNode.kidOf(tokenOfB));
      assertEquals(PUBLIC_URL, issOf(tokenOfB));

      for (String token : List.of(ephemeral, tokenOfA, tokenOfB)) {
        var userinfo = node.userinfo(token);
        assertEquals(200, userinfo.statusCode(), userinfo.body());
        assertEquals(PUBLIC_URL, new JsonObject(userinfo.body()).getString("iss"));
      }
    }
  }

  @Test
  @DisplayName("a configured issuer wins over publicUrl for every token")
  void configuredIssuer() throws Exception {
    try (KeysetTestNode node = start(Map.of("KEEP_PUBLIC_URL", PUBLIC_URL,
        "KEEP_ISSUER", "https://id.acme.test"))) {
      assertEquals("https://id.acme.test", issOf(node.bearer()));
      node.dropAndAwaitSigning("A");
      assertEquals("https://id.acme.test", issOf(node.bearer()));
    }
  }

  @Test
  @DisplayName("a token made elsewhere with a keyset's key and its DRAPI JwtIssuer still verifies; another iss does not")
  void drapiIssuerStillAccepted() throws Exception {
    try (KeysetTestNode node = start(Map.of("KEEP_PUBLIC_URL", PUBLIC_URL))) {
      KeysetFiles files = node.dropAndAwaitSigning("Drapi");
      Keyset keyset = new KeysetLoader().load(files);
      assertEquals("CN=KeepCluster/F=Drapi", keyset.issuer());

      String drapiToken = signWith(keyset, keyset.issuer());
      var reply = node.userinfo(drapiToken);
      assertEquals(200, reply.statusCode(), reply.body());
      assertEquals("CN=KeepCluster/F=Drapi", new JsonObject(reply.body()).getString("iss"));

      assertEquals(200, node.userinfo(signWith(keyset, PUBLIC_URL)).statusCode(), "the cluster issuer");
      for (String wrong : List.of("https://evil.example", "CN=KeepCluster/F=Other", "KeepCluster")) {
        assertEquals(401, node.userinfo(signWith(keyset, wrong)).statusCode(), wrong);
      }
    }
  }

  @Test
  @DisplayName("without publicUrl a single node uses http://localhost:PORT, stays UP and lists the problem")
  void singleNodeFallback() throws Exception {
    try (KeysetTestNode node = start(Map.of("KEEP_PUBLIC_URL", ""))) {
      String expected = "http://localhost:" + node.apiPort();
      assertEquals(expected, issOf(node.bearer()));

      JsonObject health = node.health();
      assertEquals("UP", health.getString("status"), health.encode());
      assertTrue(node.problems().stream().anyMatch(p -> "publicUrl".equals(p.getString("file"))
          && p.getString("error").contains(expected)), health.encode());
      var discovery = node.get(node.api("/.well-known/openid-configuration"));
      assertEquals(expected, new JsonObject(discovery.body()).getString("issuer"));
    }
  }

  /** A token as a DRAPI server sharing the keyset's four files would make it. */
  private static String signWith(Keyset keyset, String issuer) throws Exception {
    SigningCredential signing = KeysetCredentials.signing(keyset);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject("CN=Alice/O=Acme")
        .audience("Domino").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
        .claim("CN", "CN=Alice/O=Acme").claim("scope", "MAIL $DATA").jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(keyset.jwsAlgorithm()))
        .type(JOSEObjectType.JWT).keyID(keyset.kid()).build(), claims);
    jwt.sign(signing.signer());
    return jwt.serialize();
  }
}
