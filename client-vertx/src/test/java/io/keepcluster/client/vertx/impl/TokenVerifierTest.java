package io.keepcluster.client.vertx.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.client.vertx.RejectionReason;
import io.keepcluster.client.vertx.TokenRejectedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

  private static final Instant NOW = Instant.parse("2030-01-01T08:00:00Z");
  private static RSAKey key;
  private static KeySnapshot snapshot;
  private final TokenVerifier verifier = new TokenVerifier("Domino", Duration.ofSeconds(5),
      Clock.fixed(NOW, ZoneOffset.UTC));

  @BeforeAll
  static void keys() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k").algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate();
    VerificationKey verification = new VerificationKey("k", JWSAlgorithm.RS256,
        new com.nimbusds.jose.crypto.RSASSAVerifier(key.toPublicJWK()));
    snapshot = new KeySnapshot(Map.of("k", verification), Set.of("CN=KeepCluster/F=k"), NOW, NOW.plusSeconds(60));
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().issuer("CN=KeepCluster/F=k").subject("CN=Bob").audience("Domino")
        .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(900)));
  }

  private static String sign(UnaryOperator<JWSHeader.Builder> header, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(header.apply(new JWSHeader.Builder(JWSAlgorithm.RS256)
        .type(JOSEObjectType.JWT).keyID("k")).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private RejectionReason reason(String token) {
    return assertThrows(TokenRejectedException.class,
        () -> verifier.verify(verifier.parse(token), snapshot)).reason();
  }

  @Test
  @DisplayName("a well-formed token verifies and its claims come back as JSON")
  void verifies() throws Exception {
    assertEquals("CN=Bob", verifier.verify(verifier.parse(sign(h -> h, claims().build())), snapshot)
        .getString("sub"));
  }

  @Test
  @DisplayName("header refusals: crit, x5c, no kid, typ other than JWT, not a JWT, too large")
  void headerRefusals() throws Exception {
    assertEquals(RejectionReason.CRITICAL_HEADER, reason(sign(
        h -> h.criticalParams(Set.of("exp")).customParam("exp", 1), claims().build())));
    assertEquals(RejectionReason.EMBEDDED_KEY, reason(sign(
        h -> h.x509CertChain(List.of(Base64.encode(new byte[] {1, 2, 3}))), claims().build())));
    assertEquals(RejectionReason.MISSING_KID, reason(sign(h -> h.keyID(null), claims().build())));
    assertEquals(RejectionReason.MALFORMED, reason(sign(h -> h.type(new JOSEObjectType("at+jwt")), claims().build())));
    assertEquals(RejectionReason.MALFORMED, reason("not.a.jwt"));
    assertEquals(RejectionReason.MISSING, reason(""));
    assertEquals(RejectionReason.TOO_LARGE, reason("a".repeat(TokenVerifier.MAX_TOKEN_CHARS + 1)));
  }

  @Test
  @DisplayName("time refusals beyond the leeway: no exp, expired, nbf and iat in the future")
  void timeRefusals() throws Exception {
    assertEquals(RejectionReason.MISSING_EXPIRY, reason(sign(h -> h, claims().expirationTime(null).build())));
    assertEquals(RejectionReason.EXPIRED, reason(sign(h -> h,
        claims().expirationTime(Date.from(NOW.minusSeconds(6))).build())));
    assertEquals(RejectionReason.NOT_YET_VALID, reason(sign(h -> h,
        claims().notBeforeTime(Date.from(NOW.plusSeconds(6))).build())));
    assertEquals(RejectionReason.ISSUED_IN_FUTURE, reason(sign(h -> h,
        claims().issueTime(Date.from(NOW.plusSeconds(6))).build())));
    verifier.verify(verifier.parse(sign(h -> h, claims().notBeforeTime(Date.from(NOW.plusSeconds(4)))
        .issueTime(Date.from(NOW.plusSeconds(4))).build())), snapshot);
  }

  @Test
  @DisplayName("a tampered payload fails the signature; an aud list without Domino is refused")
  void signatureAndAudience() throws Exception {
    String token = sign(h -> h, claims().build());
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + com.nimbusds.jose.util.Base64URL.encode(
        claims().subject("CN=Mallory").build().toString()) + "." + parts[2];
    assertEquals(RejectionReason.BAD_SIGNATURE, reason(forged));
    assertEquals(RejectionReason.WRONG_AUDIENCE, reason(sign(h -> h,
        claims().audience(List.of("Other", "Another")).build())));
  }
}
