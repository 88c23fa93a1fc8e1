package io.keepcluster.node.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.keys.EcdsaLowS;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeysetCredentials;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our own EC signer never produces the spelling our verifier refuses. */
class EcdsaLowSSigningTest {

  private static final int TOKENS = 200;

  private static Keyset keyset(String curve) throws Exception {
    return new KeysetLoader().load(new KeysetGenerator().generate(KeysetName.of("ec"),
        KeyAlgorithmSpec.ec(curve), Clock.systemUTC()));
  }

  private static byte[] signature(String token) {
    return Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"P-256", "P-384", "P-521"})
  @DisplayName("200 tokens signed by a keyset's signer are all low-S and all verify")
  void issuedTokensAreLowS(String curve) throws Exception {
    Keyset keyset = keyset(curve);
    JWSAlgorithm algorithm = JWSAlgorithm.parse(keyset.jwsAlgorithm());
    KeyRing ring = new KeyRing(new KeyRingSnapshot(KeysetCredentials.signing(keyset),
        List.of(KeysetCredentials.verifying(keyset, Optional.empty()))));
    TokenSettings settings = new TokenSettings(Duration.ofHours(2), Duration.ofDays(1),
        keyset.issuer(), "Domino", Duration.ofSeconds(5));
    TokenIssuer issuer = new TokenIssuer(ring, settings, Clock.systemUTC());
    TokenVerifier verifier = new TokenVerifier(ring, settings, new LocalRevocations(Clock.systemUTC()),
        Clock.systemUTC());

    for (int i = 0; i < TOKENS; i++) {
      String token = issuer.issue(new TokenRequest("CN=Alice/O=Acme", null, "MAIL")).serialized();
      assertFalse(EcdsaLowS.isHighS(algorithm, signature(token)), "token " + i + " is high-S");
      verifier.verify(token);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"P-256", "P-384", "P-521"})
  @DisplayName("Nimbus' ECDSASigner alone does produce high-S signatures: the normalisation is needed")
  void rawSignerProducesHighS(String curve) throws Exception {
    Keyset keyset = keyset(curve);
    JWSAlgorithm algorithm = JWSAlgorithm.parse(keyset.jwsAlgorithm());
    ECDSASigner raw = new ECDSASigner((ECPrivateKey) keyset.signingKey().privateKey());
    byte[] input = "header.payload".getBytes(StandardCharsets.US_ASCII);

    int high = 0;
    for (int i = 0; i < TOKENS; i++) {
      byte[] signature = raw.sign(new JWSHeader(algorithm), input).decode();
      if (EcdsaLowS.isHighS(algorithm, signature)) {
        high++;
        byte[] normalized = EcdsaLowS.normalize(algorithm, signature);
        assertFalse(EcdsaLowS.isHighS(algorithm, normalized));
        assertEquals(signature.length, normalized.length);
      }
    }
    assertTrue(high > 0, "no high-S in " + TOKENS + " raw signatures (chance 2^-200)");
  }
}
