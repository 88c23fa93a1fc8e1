package io.keepcluster.node.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeySource;
import io.keepcluster.node.keys.KeysetCredentials;
import io.keepcluster.node.keys.SigningCredential;
import io.keepcluster.node.keys.VerifyingCredential;
import io.keepcluster.node.testing.Jwts;
import io.keepcluster.node.testing.MutableClock;
import io.keepcluster.node.testing.Respellings;
import io.keepcluster.node.tokens.LocalRevocations;
import io.keepcluster.node.tokens.TokenIssuer;
import io.keepcluster.node.tokens.TokenRejectedException;
import io.keepcluster.node.tokens.TokenRequest;
import io.keepcluster.node.tokens.TokenVerifier;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link TokenVerifier#verify}: nothing but {@link TokenRejectedException} may escape, and
 * a token changed in any way never verifies unless it is byte-identical to a real one.
 */
class TokenVerifierFuzzTest {

  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private static TokenVerifier verifier;
  private static final List<String> REAL = new ArrayList<>();
  private static final List<JWSSigner> SIGNERS = new ArrayList<>();
  private static final List<JWSAlgorithm> ALGORITHMS = new ArrayList<>();

  @BeforeAll
  static void ringWithRsaEcAndHmac() throws Exception {
    Keyset rsa = keyset("Rsa", KeyAlgorithmSpec.rsa(2048));
    Keyset ec = keyset("Ec", KeyAlgorithmSpec.ec("P-256"));
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    VerifyingCredential hmac = new VerifyingCredential("Hs", JWSAlgorithm.HS256, new MACVerifier(secret),
        "KeepCluster", KeySource.EPHEMERAL, Optional.empty(), Optional.empty());
    List<VerifyingCredential> verifiers = List.of(KeysetCredentials.verifying(rsa, Optional.empty()),
        KeysetCredentials.verifying(ec, Optional.empty()), hmac);
    Clock clock = new MutableClock(NOW);
    TokenSettings settings = new TokenSettings(Duration.ofHours(2), Duration.ofDays(1), "KeepCluster",
        "Domino", Duration.ofSeconds(5));
    verifier = new TokenVerifier(new KeyRing(new KeyRingSnapshot(
        new SigningCredential("Hs", JWSAlgorithm.HS256, new MACSigner(secret), "KeepCluster"), verifiers)),
        settings, new LocalRevocations(clock), clock);
    for (SigningCredential signer : List.of(KeysetCredentials.signing(rsa), KeysetCredentials.signing(ec),
        new SigningCredential("Hs", JWSAlgorithm.HS256, new MACSigner(secret), "KeepCluster"))) {
      KeyRing one = new KeyRing(new KeyRingSnapshot(signer, verifiers));
      for (int i = 0; i < 3; i++) {
        REAL.add(new TokenIssuer(one, settings, Clock.fixed(NOW, ZoneOffset.UTC))
            .issue(new TokenRequest("CN=Alice/O=Acme", "alice@acme.test", "MAIL $DATA")).serialized());
      }
      SIGNERS.add(signer.signer());
      ALGORITHMS.add(signer.algorithm());
    }
    for (String token : REAL) {
      verifier.verify(token); // the seeds are good
    }
  }

  private static Keyset keyset(String name, KeyAlgorithmSpec spec) throws Exception {
    return new KeysetLoader().load(new KeysetGenerator().generate(KeysetName.of(name), spec, Clock.systemUTC()));
  }

  private static String b64(String text) {
    return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A real token changed in one of the ways an attacker would (no key needed). */
  private static String mutated(Random r) {
    String token = REAL.get(r.nextInt(REAL.size()));
    String[] parts = token.split("\\.", -1);
    switch (r.nextInt(7)) {
      case 0:
        return Mutations.mutate(r, token);
      case 1: {
        int part = r.nextInt(3);
        parts[part] = respell(r, parts[part]);
        return String.join(".", parts);
      }
      case 2:
        return Jwts.encode(Mutations.mutate(r, Jwts.header(token))) + "." + parts[1] + "." + parts[2];
      case 3:
        return parts[0] + "." + Jwts.encode(Mutations.mutate(r, Jwts.payload(token))) + "." + parts[2];
      case 4: {
        int part = r.nextInt(2);
        parts[part] = b64(Mutations.deep(r, 1 + r.nextInt(2500)));
        return String.join(".", parts);
      }
      case 5:
        return r.nextBoolean() ? Respellings.highS(REAL.get(3 + r.nextInt(3)), JWSAlgorithm.ES256)
            : Mutations.mutate(r, String.join(".", parts[0], parts[1], parts[2], parts[2]));
      default:
        return Mutations.randomText(r);
    }
  }

  private static String respell(Random r, String part) {
    switch (r.nextInt(5)) {
      case 0: return part + "=".repeat(1 + r.nextInt(2));
      case 1: return part.replace('-', '+').replace('_', '/');
      case 2: return part.length() % 4 == 0 ? part + "A" : Respellings.flipUnusedBit(part);
      case 3: {
        int at = r.nextInt(part.length() + 1);
        return part.substring(0, at) + " \n\t\r".charAt(r.nextInt(4)) + part.substring(at);
      }
      default: return part.isEmpty() ? part : part.substring(0, part.length() - 1);
    }
  }

  /** Claims and headers an attacker cannot sign, signed for real: the parsers behind the signature. */
  private static String resigned(Random r) throws Exception {
    int key = r.nextInt(SIGNERS.size());
    String token = REAL.get(key * 3);
    String header;
    String payload;
    switch (r.nextInt(4)) {
      case 0 -> {
        header = Jwts.header(token).encode();
        payload = Mutations.mutate(r, Jwts.payload(token)).encode();
      }
      case 1 -> {
        header = Mutations.mutate(r, Jwts.header(token)).put("alg", ALGORITHMS.get(key).getName()).encode();
        payload = Jwts.payload(token).encode();
      }
      case 2 -> {
        header = Jwts.header(token).encode();
        payload = Mutations.mutate(r, Jwts.payload(token).encode());
      }
      default -> {
        header = Jwts.header(token).encode();
        payload = Mutations.deep(r, 1 + r.nextInt(2500));
      }
    }
    String input = b64(header) + "." + b64(payload);
    byte[] signature = SIGNERS.get(key).sign(new JWSHeader(ALGORITHMS.get(key)),
        input.getBytes(StandardCharsets.US_ASCII)).decode();
    return input + "." + B64.encodeToString(signature);
  }

  @Test
  @DisplayName("mutated real tokens and random text: only TokenRejectedException, and only real tokens verify")
  void mutatedTokens() {
    Set<String> real = Set.copyOf(REAL);
    int ran = Fuzz.run("TokenVerifier.verify(mutated)", Fuzz.tries(2000), TokenVerifierFuzzTest::mutated, token -> {
      try {
        verifier.verify(token);
      } catch (TokenRejectedException refused) {
        return;
      }
      if (!real.contains(token)) {
        throw new AssertionError("a changed token verified");
      }
    });
    assertTrue(ran > 0);
  }

  @Test
  @DisplayName("mutated headers and claims signed with the real keys: only TokenRejectedException escapes")
  void resignedGarbage() {
    Fuzz.run("TokenVerifier.verify(re-signed)", Fuzz.tries(2000), r -> {
      try {
        return resigned(r);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, token -> {
      try {
        verifier.verify(token);
      } catch (TokenRejectedException refused) {
        // the documented outcome
      }
    });
  }
}
