package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.shared.keys.PemKeys;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: DRAPI's "single login and decryption capabilities" across servers. Two openssl
 * keysets (RSA and EC) are dropped on node 1; a token from node 1, encrypted to either keyset's
 * public key as read from node 1's folder, is decrypted and accepted on node 3, which holds the
 * private keys only through replication.
 */
@DisplayName("Issue 10: a JWE made for node 1's keysets is accepted on node 3")
class JweIT extends ThreeNodeCluster {

  private OpensslKeyset rsa;
  private OpensslKeyset ec;

  @Override
  protected void whenFormed() {
    rsa = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("JweRsa"));
    ec = OpensslKeyset.ec(cluster.test(), OpensslKeyset.nextName("JweEc"));
    rsa.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), rsa.name(), Duration.ofSeconds(15));
    ec.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), ec.name(), Duration.ofSeconds(15));
  }

  @Test
  @DisplayName("a node 1 token encrypted with RSA-OAEP-256 to the RSA keyset is accepted on node 3 with its claims")
  void rsaJweOnNode3() throws Exception {
    String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);

    NodeClient.Reply reply = cluster.node(3).client().userinfo(encryptTo(rsa.name(), token));

    assertEquals(200, reply.status(), reply.body());
    assertEquals(subjectOf(token), reply.json().getString("sub"));
  }

  @Test
  @DisplayName("a node 1 token encrypted with ECDH-ES+A256KW to the EC keyset is accepted on node 3 with its claims")
  void ecJweOnNode3() throws Exception {
    String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);

    NodeClient.Reply reply = cluster.node(3).client().userinfo(encryptTo(ec.name(), token));

    assertEquals(200, reply.status(), reply.body());
    assertEquals(subjectOf(token), reply.json().getString("sub"));
  }

  @Test
  @DisplayName("the same JWE with a tampered tag is refused on node 3 and counted as jwe_undecryptable")
  void tamperedJweOnNode3() throws Exception {
    String jwe = encryptTo(ec.name(), cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD));
    String[] parts = jwe.split("\\.", -1);
    parts[4] = (parts[4].charAt(0) == 'A' ? "B" : "A") + parts[4].substring(1);
    NodeClient node3 = cluster.node(3).client();
    double before = node3.counter("keepcluster_tokens_rejected_total", "reason=\"jwe_undecryptable\"");

    assertEquals(401, node3.userinfo(String.join(".", parts)).status());
    assertEquals(before + 1, node3.counter("keepcluster_tokens_rejected_total", "reason=\"jwe_undecryptable\""));
  }

  /** A compact JWE to {@code kid}'s public key, read from node 1's folder as a client would. */
  private String encryptTo(String kid, String token) throws Exception {
    String pem = Files.readString(cluster.node(1).configDir().resolve(kid + ".public.key.pem"));
    PublicKey key = PemKeys.parsePublicKey(pem);
    JWEAlgorithm alg = key instanceof ECPublicKey ? JWEAlgorithm.ECDH_ES_A256KW : JWEAlgorithm.RSA_OAEP_256;
    JWEEncrypter encrypter = key instanceof ECPublicKey ecKey ? new ECDHEncrypter(ecKey)
        : new RSAEncrypter((RSAPublicKey) key);
    JWEObject jwe = new JWEObject(new JWEHeader.Builder(alg, EncryptionMethod.A256GCM)
        .contentType("JWT").keyID(kid).build(), new Payload(token));
    try {
      jwe.encrypt(encrypter);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwe.serialize();
  }

  private static String subjectOf(String jwt) {
    String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    return new JsonObject(payload).getString("sub");
  }
}
