package io.keepcluster.it.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.it.harness.Health;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@DisplayName("Issue 10: a provider descriptor dropped on one node is in effect on every node, and turning it off on another stops it everywhere")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProviderReplicationIT extends ThreeNodeCluster {

  private static final String NAME = "partner";
  private static final String ISS = "https://partner-idp.example";
  private static final String AUD = "api://keep";
  private static final String REPLICATED = "providers-replicated.json";

  private KeyPair keys;

  @Test
  @Order(1)
  @DisplayName("a static-key provider written into node 1's folder verifies on node 3, is persisted in node 3's folder and listed on every /health")
  void dropOnNode1VerifiesEverywhere() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    Path dir1 = cluster.node(1).configDir();
    Files.writeString(dir1.resolve("partner.pub.pem"), pem(keys));
    writeAtomically(dir1.resolve("70-partner.json"), new JsonObject().put("jwt", new JsonObject()
        .put(NAME, new JsonObject().put("active", true).put("algorithm", "RS256").put("iss", ISS)
            .put("kid", "p1").put("aud", AUD).put("keyFile", "partner.pub.pem"))).encodePrettily());
    String token = token();

    Waits.within(10, "node 3 accepts the partner's token").untilAsserted(() ->
        assertEquals(200, cluster.node(3).client().userinfo(token).status()));
    for (NodeProcess node : cluster.nodes()) {
      Waits.within(10, node.id() + " verifies and lists the provider").untilAsserted(() -> {
        assertEquals(200, node.client().userinfo(token).status());
        Health health = node.client().health();
        JsonObject provider = provider(health).orElseThrow(() -> new AssertionError(health.toString()));
        assertEquals("ok", provider.getString("status"), health.toString());
        assertEquals(new JsonArray().add("p1"), provider.getJsonArray("kids"), health.toString());
      });
    }
    Path copy = cluster.node(3).configDir().resolve(REPLICATED);
    Waits.within(5, "node 3 persisted the provider").until(() -> Files.isRegularFile(copy));
    JsonObject persisted = new JsonObject(Files.readString(copy)).getJsonObject("jwt").getJsonObject(NAME);
    assertEquals(ISS, persisted.getString("iss"));
    assertEquals("node1", persisted.getString("replicatedFrom"));
    String keyText = Files.readString(cluster.node(3).configDir().resolve(persisted.getString("keyFile")));
    assertEquals(pem(keys), keyText);
  }

  @Test
  @Order(2)
  @DisplayName("\"active\": false set in node 2's copy refuses the provider's tokens on every node")
  void deactivateOnNode2RefusesEverywhere() throws Exception {
    String token = token();
    Path copy = cluster.node(2).configDir().resolve(REPLICATED);
    Waits.within(5, "node 2 persisted the provider").until(() -> Files.isRegularFile(copy));
    JsonObject overlay = new JsonObject(Files.readString(copy));
    overlay.getJsonObject("jwt").getJsonObject(NAME).put("active", false);
    writeAtomically(copy, overlay.encodePrettily());

    for (NodeProcess node : cluster.nodes()) {
      Waits.within(5, node.id() + " refuses the partner's token").untilAsserted(() -> {
        assertEquals(401, node.client().userinfo(token).status());
        Health health = node.client().health();
        assertTrue(provider(health).isPresent(), health.toString());
      });
    }
  }

  private String token() throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("p1").type(JOSEObjectType.JWT).build(),
        new JWTClaimsSet.Builder().issuer(ISS).audience(AUD).subject("dave")
            .claim("email", "dave@partner.example").issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(10)))).build());
    jwt.sign(new RSASSASigner(keys.getPrivate()));
    return jwt.serialize();
  }

  private static Optional<JsonObject> provider(Health health) {
    JsonArray providers = health.json().getJsonArray("providers", new JsonArray());
    for (int i = 0; i < providers.size(); i++) {
      if (NAME.equals(providers.getJsonObject(i).getString("name"))) {
        return Optional.of(providers.getJsonObject(i));
      }
    }
    return Optional.empty();
  }

  private static String pem(KeyPair keys) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** Like an editor that saves through a temporary file: the watcher never sees half a file. */
  private static void writeAtomically(Path file, String text) throws Exception {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(temp, text);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
