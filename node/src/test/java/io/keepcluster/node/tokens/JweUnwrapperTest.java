package io.keepcluster.node.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.keepcluster.node.keys.DecryptionKey;
import io.keepcluster.node.keys.DecryptionKeys;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The decryption step alone, against an EC keyset: the edges a real node's test cannot reach. */
@DisplayName("JweUnwrapper")
class JweUnwrapperTest {

  private static final String JWS = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
  private static Keyset keyset;
  private static JweUnwrapper unwrapper;

  @BeforeAll
  static void keyset() throws Exception {
    keyset = new KeysetLoader().load(new KeysetGenerator().generate(KeysetName.of("Ec"),
        KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC()));
    Map<String, DecryptionKey> keys = Map.of("Ec", DecryptionKey.of(keyset).orElseThrow());
    unwrapper = new JweUnwrapper(kid -> Optional.ofNullable(keys.get(kid)));
  }

  private static String jwe(JWEHeader header, ECPublicKey to) throws Exception {
    JWEObject jwe = new JWEObject(header, new Payload(JWS));
    jwe.encrypt(new ECDHEncrypter(to));
    return jwe.serialize();
  }

  private static JWEHeader.Builder header() {
    return new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM).contentType("JWT").keyID("Ec");
  }

  private static RejectionReason rejection(String token) {
    return assertThrows(TokenRejectedException.class, () -> unwrapper.unwrap(token)).reason();
  }

  @Test
  @DisplayName("a JWE to the keyset's public key gives back its inner JWS")
  void unwraps() throws Exception {
    assertEquals(JWS, unwrapper.unwrap(jwe(header().build(), (ECPublicKey) keyset.verificationKey().publicKey())));
  }

  @Test
  @DisplayName("a JWS, null and blank pass through untouched; a disabled unwrapper passes a JWE through")
  void passThrough() throws Exception {
    assertSame(JWS, unwrapper.unwrap(JWS));
    assertEquals(null, unwrapper.unwrap(null));
    assertEquals(" ", unwrapper.unwrap(" "));
    String jwe = jwe(header().build(), (ECPublicKey) keyset.verificationKey().publicKey());
    assertSame(jwe, JweUnwrapper.disabled().unwrap(jwe));
    assertThrows(TokenRejectedException.class, () -> new JweUnwrapper(DecryptionKeys.NONE).unwrap(jwe));
  }

  @Test
  @DisplayName("a five-part token over 8 KiB is too_large before any parsing")
  void tooLarge() {
    assertEquals(RejectionReason.TOO_LARGE, rejection("a.b.c.d." + "A".repeat(TokenVerifier.MAX_TOKEN_CHARS)));
  }

  @Test
  @DisplayName("an ephemeral key on another curve (P-384) under the P-256 keyset's kid is jwe_undecryptable")
  void otherCurve() throws Exception {
    ECPublicKey p384 = new ECKeyGenerator(Curve.P_384).generate().toECPublicKey();
    assertEquals(RejectionReason.JWE_UNDECRYPTABLE, rejection(jwe(header().build(), p384)));
  }

  @Test
  @DisplayName("a non-JSON or non-JWE header is malformed")
  void badHeader() {
    String garbage = Base64.getUrlEncoder().withoutPadding().encodeToString("[1]".getBytes(StandardCharsets.UTF_8));
    assertEquals(RejectionReason.MALFORMED, rejection(garbage + ".AA.AA.AA.AA"));
    String noEnc = Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"alg\":\"ECDH-ES+A256KW\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(RejectionReason.MALFORMED, rejection(noEnc + ".AA.AA.AA.AA"));
  }

  @Test
  @DisplayName("mutated headers of a real JWE escape only as TokenRejectedException, never decrypt")
  void mutatedHeaders() throws Exception {
    String jwe = jwe(header().build(), (ECPublicKey) keyset.verificationKey().publicKey());
    String[] parts = jwe.split("\\.", -1);
    JsonObject original = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    Object[] values = {null, 1, "", "x", true, new JsonObject(), new io.vertx.core.json.JsonArray(),
        new JsonObject().put("kty", "EC").put("crv", "P-256").put("x", "AA").put("y", "AA"),
        new JsonObject().put("kty", "EC").put("crv", "P-521").put("x", "AA").put("y", "AA"),
        new JsonObject().put("kty", "RSA").put("n", "AQAB").put("e", "AQAB")};
    String[] fields = {"alg", "enc", "cty", "kid", "epk", "zip", "crit", "typ", "apu", "apv", "p2c", "iv", "tag"};
    Random random = new Random(10);
    for (int i = 0; i < 400; i++) {
      JsonObject header = original.copy();
      for (int n = 0; n <= random.nextInt(3); n++) {
        Object value = values[random.nextInt(values.length)];
        String field = fields[random.nextInt(fields.length)];
        if (value == null) {
          header.remove(field);
        } else {
          header.put(field, value);
        }
      }
      parts[0] = Base64.getUrlEncoder().withoutPadding().encodeToString(header.encode().getBytes(StandardCharsets.UTF_8));
      String mutated = String.join(".", parts);
      if (header.equals(original)) {
        continue;
      }
      try {
        unwrapper.unwrap(mutated);
        fail("a mutated header decrypted: " + header.encode());
      } catch (TokenRejectedException expected) {
        // the only exception allowed out
      }
    }
  }
}
