package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.Waits;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, tokens: one valid spelling per token and no oracle, against three real node processes
 * signing with an ES256 keyset made by openssl.
 */
@DisplayName("Issue 8: a token has one spelling, and a refusal tells nothing")
class TokenRespellingIT extends ThreeNodeCluster {

  /** The order n of P-256: (r, s) and (r, n - s) are both valid ECDSA signatures. */
  private static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  @Override
  protected void whenFormed() {
    OpensslKeyset keyset = OpensslKeyset.ec(cluster.test(), OpensslKeyset.nextName("OneSpelling"));
    keyset.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), keyset.name(), Duration.ofSeconds(20));
  }

  @Test
  @DisplayName("padding, the +/ alphabet, a changed last character and a high-S signature are refused on every node, the original is not")
  void respellingsAreRefused() {
    String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);
    Map<String, String> respellings = respellings(token);
    for (NodeProcess n : cluster.nodes()) {
      assertEquals(200, n.client().userinfo(token).status(), "the original on " + n.id());
      for (Map.Entry<String, String> re : respellings.entrySet()) {
        NodeClient.Reply reply = n.client().userinfo(re.getValue());
        assertEquals(401, reply.status(), re.getKey() + " on " + n.id() + ": " + reply.body());
      }
    }
    System.out.println("[it] issue 8 respellings refused on 3 nodes: " + respellings.keySet());
  }

  @Test
  @DisplayName("after a logout no re-spelling of the token gets back in on any node")
  void logoutHoldsForEveryRespelling() {
    String token = cluster.node(2).client().token(ADMIN, ADMIN_PASSWORD);
    assertEquals(200, cluster.node(2).client().logout(token).status());
    Waits.within(Duration.ofSeconds(1), "the logout reaches every node").untilAsserted(() -> {
      for (NodeProcess n : cluster.nodes()) {
        assertEquals(401, n.client().userinfo(token).status(), "logged out on " + n.id());
      }
    });
    for (NodeProcess n : cluster.nodes()) {
      for (Map.Entry<String, String> re : respellings(token).entrySet()) {
        assertEquals(401, n.client().userinfo(re.getValue()).status(), re.getKey() + " on " + n.id());
      }
    }
  }

  @Test
  @DisplayName("an unknown kid, a re-spelling and a bad signature get the very same 401 body")
  void refusalsLookAlike() {
    String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);
    String[] parts = token.split("\\.");
    String unknownKid = ENCODER.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"NoSuchKey\"}".getBytes())
        + "." + parts[1] + "." + parts[2];
    String badSignature = parts[0] + "." + parts[1] + "." + ENCODER.encodeToString(new byte[64]);
    NodeClient client = cluster.node(3).client();
    String expected = client.userinfo(unknownKid).body();
    assertEquals(expected, client.userinfo(badSignature).body());
    assertEquals(expected, client.userinfo(respellings(token).get("padding")).body());
    assertFalse(expected.contains("NoSuchKey") || expected.contains("ES256"), expected);
  }

  @Test
  @DisplayName("a password typed into the username field never reaches any node's log")
  void unknownUsernamesAreNotLogged() throws IOException {
    String typedPassword = "Tr0ub4dor&3-horse-" + System.nanoTime();
    for (NodeProcess n : cluster.nodes()) {
      assertEquals(401, n.client().login(typedPassword, "whatever").status());
    }
    for (NodeProcess n : cluster.nodes()) {
      assertTrue(Files.exists(n.logFile()));
      assertFalse(Files.readString(n.logFile()).contains(typedPassword), "the typed password in " + n.logFile());
    }
  }

  private static Map<String, String> respellings(String token) {
    String[] parts = token.split("\\.");
    String head = parts[0] + "." + parts[1] + ".";
    String signature = parts[2];
    Map<String, String> result = new LinkedHashMap<>();
    result.put("padding", head + signature + "=".repeat((4 - signature.length() % 4) % 4));
    if (signature.indexOf('-') >= 0 || signature.indexOf('_') >= 0) {
      result.put("+/ alphabet", head + signature.replace('-', '+').replace('_', '/'));
    }
    result.put("altered last character", head + flipUnusedBit(signature));
    result.put("high-S", head + highS(signature));
    return result;
  }

  /** Same bytes, different text: ES256 signatures are 86 characters, so the last has 2 unused bits. */
  private static String flipUnusedBit(String part) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = part.charAt(part.length() - 1);
    char flipped = alphabet.charAt(alphabet.indexOf(last) ^ 1);
    String altered = part.substring(0, part.length() - 1) + flipped;
    assertTrue(Arrays.equals(DECODER.decode(part), DECODER.decode(altered)), "decodes to the same bytes");
    return altered;
  }

  /** (r, s) to (r, n - s): the other valid ECDSA signature of the same message. */
  private static String highS(String signature) {
    byte[] raw = DECODER.decode(signature);
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
    byte[] flipped = P256_ORDER.subtract(s).toByteArray();
    byte[] out = Arrays.copyOf(raw, 64);
    Arrays.fill(out, 32, 64, (byte) 0);
    int length = Math.min(32, flipped.length);
    System.arraycopy(flipped, flipped.length - length, out, 64 - length, length);
    return ENCODER.encodeToString(out);
  }
}
