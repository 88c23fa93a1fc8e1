package io.keepcluster.node.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.keys.DecryptionKey;
import io.keepcluster.node.keys.EphemeralKey;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeySource;
import io.keepcluster.node.keys.SigningCredential;
import io.keepcluster.node.keys.VerifyingCredential;
import io.keepcluster.node.testing.Jwts;
import io.keepcluster.node.testing.MutableClock;
import io.keepcluster.node.testing.Respellings;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.keepcluster.node.providers.ProviderConfig;
import io.keepcluster.node.providers.ProviderRegistry;
import io.keepcluster.node.providers.ProviderTokenVerifier;
import io.keepcluster.node.providers.RefreshRules;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verification policy, one rule per test, against a key ring whose HS256 secret the test
 * knows, so it can sign exactly the claims each rule is about.
 */
class TokenVerifierTest {

  private static final String KID = "k1";
  private static final String ISSUER = "KeepCluster";
  private static final String AUDIENCE = "Domino";
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final TokenSettings SETTINGS = new TokenSettings(Duration.ofHours(2),
      Duration.ofDays(1), ISSUER, AUDIENCE, Duration.ofSeconds(5));

  /** Every reason some test below provokes; checked against the enum after all tests ran. */
  private static final Set<RejectionReason> PROVOKED = EnumSet.noneOf(RejectionReason.class);

  private final byte[] secret = new byte[32];
  private MutableClock clock;
  private LocalRevocations revocations;
  private TokenVerifier verifier;

  @BeforeEach
  void setUp() throws Exception {
    new SecureRandom().nextBytes(secret);
    clock = new MutableClock(NOW);
    revocations = new LocalRevocations(clock);
    verifier = verifierFor(credential(KID, Optional.empty()));
  }

  private VerifyingCredential credential(String kid, Optional<Instant> verifyUntil) throws Exception {
    return new VerifyingCredential(kid, JWSAlgorithm.HS256, new MACVerifier(secret), ISSUER,
        KeySource.EPHEMERAL, verifyUntil, Optional.empty());
  }

  private TokenVerifier verifierFor(VerifyingCredential credential) throws Exception {
    SigningCredential signing = new SigningCredential(credential.kid(), JWSAlgorithm.HS256,
        new com.nimbusds.jose.crypto.MACSigner(secret), ISSUER);
    KeyRing ring = new KeyRing(new KeyRingSnapshot(signing, List.of(credential)));
    return new TokenVerifier(ring, SETTINGS, revocations, clock);
  }

  private static JWSHeader.Builder header() {
    return new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(KID);
  }

  /** Claims as the node issues them: iat now, two hours of life, our issuer and audience. */
  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER).subject("CN=Alice/O=Acme").audience(AUDIENCE)
        .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plus(Duration.ofHours(2))))
        .claim("CN", "CN=Alice/O=Acme").claim("scope", "MAIL").jwtID("jti-1");
  }

  private String sign(JWSHeader.Builder header, JWTClaimsSet.Builder claims) {
    return Jwts.signHs256(secret, header.build(), claims.build());
  }

  private String token(UnaryOperator<JWTClaimsSet.Builder> edit) {
    return sign(header(), edit.apply(claims()));
  }

  private RejectionReason rejection(String token) {
    TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> verifier.verify(token));
    PROVOKED.add(e.reason());
    assertFalse(token != null && token.length() > 20 && e.getMessage().contains(token),
        "the message never repeats the token");
    return e.reason();
  }

  @AfterAll
  static void everyReasonIsProvoked() {
    assertEquals(EnumSet.allOf(RejectionReason.class), PROVOKED,
        "each RejectionReason must be provoked by a test in this class");
  }

  @Test
  @DisplayName("a token signed with the ring's key and carrying our claims verifies")
  void goodTokenVerifies() throws Exception {
    VerifiedToken verified = verifier.verify(token(c -> c));

    assertEquals("CN=Alice/O=Acme", verified.claims().getSubject());
    assertEquals(KID, verified.kid());
    assertEquals(KeySource.EPHEMERAL, verified.source());
    assertEquals("jti-1", verified.jwtId());
    assertEquals(NOW.plus(Duration.ofHours(2)), verified.expiresAt());
  }

  @Test
  @DisplayName("a token issued by TokenIssuer with an ephemeral key verifies with the same ring")
  void issuerAndVerifierAgree() throws Exception {
    EphemeralKey key = EphemeralKey.create("node1", ISSUER, new SecureRandom());
    KeyRing ring = new KeyRing(new KeyRingSnapshot(key.signing(), List.of(key.verifying())));
    IssuedToken issued = new TokenIssuer(ring, SETTINGS, clock)
        .issue(new TokenRequest("CN=Bob/O=Acme", "bob@acme.test", "MAIL"));

    VerifiedToken verified = new TokenVerifier(ring, SETTINGS, revocations, clock).verify(issued.serialized());

    assertEquals("ephemeral-node1", verified.kid());
    assertEquals("MAIL", verified.claims().getClaim("scope"));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "   "})
  @DisplayName("no token at all is MISSING")
  void missing(String token) {
    assertEquals(RejectionReason.MISSING, rejection(token));
    assertEquals(RejectionReason.MISSING, rejection(null));
  }

  @Test
  @DisplayName("a token over 8 KiB is TOO_LARGE, even when its signature is valid")
  void tooLarge() {
    String token = token(c -> c.claim("pad", "x".repeat(TokenVerifier.MAX_TOKEN_CHARS)));

    assertEquals(RejectionReason.TOO_LARGE, rejection(token));
  }

  @Test
  @DisplayName("a token just under 8 KiB is not refused for its size")
  void justUnderMaxSizeIsAccepted() throws Exception {
    String token = null;
    for (int pad = 5000; token == null || token.length() < TokenVerifier.MAX_TOKEN_CHARS - 3; pad++) {
      int length = pad;
      token = token(c -> c.claim("pad", "x".repeat(length)));
    }

    assertTrue(token.length() <= TokenVerifier.MAX_TOKEN_CHARS);
    verifier.verify(token);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"not-a-jwt", "a.b.c", "e30.e30"})
  @DisplayName("text that is not a JWT is MALFORMED")
  void malformed(String token) {
    assertEquals(RejectionReason.MALFORMED, rejection(token));
  }

  @Test
  @DisplayName("a token without exp is MALFORMED")
  void noExpiry() {
    assertEquals(RejectionReason.MALFORMED, rejection(token(c -> c.expirationTime(null))));
  }

  @Test
  @DisplayName("a token whose typ is not JWT is MALFORMED")
  void wrongType() {
    String token = sign(header().type(new JOSEObjectType("at+jwt")), claims());

    assertEquals(RejectionReason.MALFORMED, rejection(token));
  }

  @Test
  @DisplayName("an unsigned token (alg none) is UNSIGNED")
  void unsigned() {
    String token = new PlainJWT(claims().build()).serialize();

    assertEquals(RejectionReason.UNSIGNED, rejection(token));
  }

  @Test
  @DisplayName("alg none with our kid and the original signature stripped is UNSIGNED")
  void noneWithKid() {
    String good = token(c -> c);
    String token = Jwts.encode(new io.vertx.core.json.JsonObject().put("alg", "none").put("kid", KID))
        + "." + good.split("\\.")[1] + ".";

    assertEquals(RejectionReason.UNSIGNED, rejection(token));
  }

  @Test
  @DisplayName("an encrypted token (JWE) is ENCRYPTED_UNSUPPORTED")
  void encrypted() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM),
        claims().build());
    jwe.encrypt(new DirectEncrypter(key));

    assertEquals(RejectionReason.ENCRYPTED_UNSUPPORTED, rejection(jwe.serialize()));
  }

  @Test
  @DisplayName("a token carrying its own key in a jwk header is EMBEDDED_KEY")
  void embeddedJwk() throws Exception {
    RSAKey attacker = new RSAKeyGenerator(2048).generate();
    String token = sign(header().jwk(attacker.toPublicJWK()), claims());

    assertEquals(RejectionReason.EMBEDDED_KEY, rejection(token));
  }

  @Test
  @DisplayName("a token pointing at a key URL (jku) is EMBEDDED_KEY")
  void embeddedJku() {
    String token = sign(header().jwkURL(URI.create("https://evil.test/jwks.json")), claims());

    assertEquals(RejectionReason.EMBEDDED_KEY, rejection(token));
  }

  @Test
  @DisplayName("a token pointing at a certificate URL (x5u) is EMBEDDED_KEY")
  void embeddedX5u() {
    String token = sign(header().x509CertURL(URI.create("https://evil.test/cert.pem")), claims());

    assertEquals(RejectionReason.EMBEDDED_KEY, rejection(token));
  }

  @Test
  @DisplayName("a token carrying a certificate chain (x5c) is EMBEDDED_KEY")
  void embeddedX5c() {
    String token = sign(header().x509CertChain(List.of(Base64.encode(new byte[] {1, 2, 3}))), claims());

    assertEquals(RejectionReason.EMBEDDED_KEY, rejection(token));
  }

  @Test
  @DisplayName("a token with a crit header is UNKNOWN_CRITICAL_HEADER")
  void critical() {
    String token = sign(header().criticalParams(Set.of("acme-policy")).customParam("acme-policy", "x"),
        claims());

    assertEquals(RejectionReason.UNKNOWN_CRITICAL_HEADER, rejection(token));
  }

  @Test
  @DisplayName("a correctly signed crit: [] (forbidden by RFC 7515) is MALFORMED")
  void emptyCritical() throws Exception {
    String good = token(c -> c);
    JsonObject header = Jwts.header(good).put("crit", new JsonArray());

    assertEquals(RejectionReason.MALFORMED,
        rejection(Respellings.signedWithHeader(good, header, new MACSigner(secret))));
  }

  @Test
  @DisplayName("a correctly signed crit naming a claim (exp) is UNKNOWN_CRITICAL_HEADER")
  void criticalNamingAClaim() throws Exception {
    String good = token(c -> c);
    JsonObject header = Jwts.header(good).put("crit", new JsonArray().add("exp"));

    assertEquals(RejectionReason.UNKNOWN_CRITICAL_HEADER,
        rejection(Respellings.signedWithHeader(good, header, new MACSigner(secret))));
  }

  @Test
  @DisplayName("a crit that is not an array of strings is MALFORMED")
  void criticalNotStrings() throws Exception {
    String good = token(c -> c);
    JsonObject header = Jwts.header(good).put("crit", new JsonArray().add(1));

    assertEquals(RejectionReason.MALFORMED,
        rejection(Respellings.signedWithHeader(good, header, new MACSigner(secret))));
  }

  @Test
  @DisplayName("the signature with = padding is NON_CANONICAL")
  void paddedSignature() {
    assertEquals(RejectionReason.NON_CANONICAL, rejection(Respellings.paddedSignature(token(c -> c))));
  }

  @Test
  @DisplayName("the signature in the +/ alphabet is NON_CANONICAL")
  void standardAlphabet() {
    String good = token(c -> c);
    for (int i = 0; !Respellings.hasUrlSafeCharacters(good); i++) {
      String jti = "jti-" + i;
      good = token(c -> c.jwtID(jti));
    }

    assertEquals(RejectionReason.NON_CANONICAL, rejection(Respellings.standardAlphabetSignature(good)));
  }

  @Test
  @DisplayName("the signature's last character with non-zero unused bits is NON_CANONICAL")
  void alteredLastCharacter() {
    assertEquals(RejectionReason.NON_CANONICAL, rejection(Respellings.alteredLastCharacter(token(c -> c))));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {" ", "\n", "\t"})
  @DisplayName("whitespace inside a part is NON_CANONICAL")
  void whitespace(String space) {
    String good = token(c -> c);
    int cut = good.indexOf('.') + 5;

    assertEquals(RejectionReason.NON_CANONICAL, rejection(good.substring(0, cut) + space + good.substring(cut)));
  }

  @Test
  @DisplayName("a payload re-spelled with non-zero trailing bits is NON_CANONICAL, not merely a bad signature")
  void respelledPayload() {
    String good = token(c -> c);
    String[] parts = good.split("\\.");
    String payload = parts[1];
    for (int i = 0; payload.length() % 4 == 0; i++) {
      String jti = "j" + i;
      parts = token(c -> c.jwtID(jti)).split("\\.");
      payload = parts[1];
    }
    assertEquals(RejectionReason.NON_CANONICAL,
        rejection(parts[0] + "." + Respellings.flipUnusedBit(payload) + "." + parts[2]));
  }

  @Test
  @DisplayName("a header or payload that is not a JSON object is MALFORMED")
  void notJsonObjects() {
    String[] parts = token(c -> c).split("\\.");
    String array = "WzFd"; // [1]

    assertEquals(RejectionReason.MALFORMED, rejection(array + "." + parts[1] + "." + parts[2]));
    assertEquals(RejectionReason.MALFORMED, rejection(parts[0] + "." + array + "." + parts[2]));
  }

  @Test
  @DisplayName("an ES256 signature with S above n/2 (n - S of a valid one) is HIGH_S_SIGNATURE; the low-S one verifies")
  void highS() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec1").generate();
    VerifyingCredential credential = new VerifyingCredential("ec1", JWSAlgorithm.ES256,
        new ECDSAVerifier(ec.toECPublicKey()), ISSUER, KeySource.KEYSET, Optional.empty(), Optional.empty());
    verifier = new TokenVerifier(new KeyRing(new KeyRingSnapshot(new SigningCredential("ec1",
        JWSAlgorithm.ES256, new ECDSASigner(ec), ISSUER), List.of(credential))), SETTINGS, revocations, clock);
    JsonObject header = new JsonObject().put("alg", "ES256").put("typ", "JWT").put("kid", "ec1");
    String lowS = Respellings.signedWithHeader(token(c -> c), header, new ECDSASigner(ec));

    verifier.verify(lowS);
    assertEquals(RejectionReason.HIGH_S_SIGNATURE, rejection(Respellings.highS(lowS, JWSAlgorithm.ES256)));
  }

  /** The reason {@code verifier} gives for {@code token}, counted as provoked. */
  private static RejectionReason refusalBy(TokenVerifier verifier, String token) {
    TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> verifier.verify(token));
    PROVOKED.add(e.reason());
    return e.reason();
  }

  @Test
  @DisplayName("with its header already parsed and stored, a token gets exactly the refusal a fresh verifier gives")
  void knownHeaderRefusesAsCold() throws Exception {
    String good = token(c -> c);
    verifier.verify(good); // stores the header segment every token below shares
    String[] parts = good.split("\\.");
    String payload = parts[1];
    for (int i = 0; payload.length() % 4 == 0; i++) {
      String jti = "j" + i;
      payload = token(c -> c.jwtID(jti)).split("\\.")[1];
    }
    String jwe = good + ".AAAA.BBBB";
    java.util.Map<String, RejectionReason> cases = new java.util.LinkedHashMap<>();
    cases.put("payload edited", RejectionReason.BAD_SIGNATURE);
    cases.put("signed with another secret", RejectionReason.BAD_SIGNATURE);
    cases.put("signature of another token", RejectionReason.BAD_SIGNATURE);
    cases.put("signature stripped", RejectionReason.MALFORMED);
    cases.put("signature padded", RejectionReason.NON_CANONICAL);
    cases.put("signature's unused bits set", RejectionReason.NON_CANONICAL);
    cases.put("payload re-spelled", RejectionReason.NON_CANONICAL);
    cases.put("payload with whitespace", RejectionReason.NON_CANONICAL);
    cases.put("payload not base64", RejectionReason.MALFORMED);
    cases.put("payload not an object", RejectionReason.MALFORMED);
    cases.put("payload's exp not a number", RejectionReason.MALFORMED);
    cases.put("two parts", RejectionReason.MALFORMED);
    cases.put("five parts (JWE)", RejectionReason.ENCRYPTED_UNSUPPORTED);
    cases.put("oversized", RejectionReason.TOO_LARGE);
    cases.put("expired", RejectionReason.EXPIRED);
    cases.put("no exp", RejectionReason.MALFORMED);
    cases.put("wrong aud", RejectionReason.WRONG_AUDIENCE);
    cases.put("wrong iss", RejectionReason.WRONG_ISSUER);
    cases.put("unknown kid", RejectionReason.UNKNOWN_KID);
    cases.put("alg edited", RejectionReason.ALGORITHM_MISMATCH);
    cases.put("alg none", RejectionReason.UNSIGNED);
    java.util.Map<String, String> tokens = new java.util.HashMap<>();
    tokens.put("payload edited", Jwts.withPayload(good, p -> p.put("scope", "MAIL $DATA ADMIN")));
    tokens.put("signed with another secret", Jwts.resignedWithRandomSecret(good));
    tokens.put("signature of another token", parts[0] + "." + parts[1] + "."
        + token(c -> c.jwtID("other")).split("\\.")[2]);
    tokens.put("signature stripped", parts[0] + "." + parts[1] + ".");
    tokens.put("signature padded", Respellings.paddedSignature(good));
    tokens.put("signature's unused bits set", Respellings.alteredLastCharacter(good));
    tokens.put("payload re-spelled", parts[0] + "." + Respellings.flipUnusedBit(payload) + "." + parts[2]);
    tokens.put("payload with whitespace", parts[0] + "." + parts[1].substring(0, 4) + " " + parts[1].substring(4)
        + "." + parts[2]);
    tokens.put("payload not base64", parts[0] + ".e30*." + parts[2]);
    tokens.put("payload not an object", parts[0] + ".WzFd." + parts[2]);
    tokens.put("payload's exp not a number", Jwts.withPayload(good, p -> p.put("exp", "soon")));
    tokens.put("two parts", parts[0] + "." + parts[1]);
    tokens.put("five parts (JWE)", jwe);
    tokens.put("oversized", Jwts.withPayload(good, p -> p.put("pad", "x".repeat(TokenVerifier.MAX_TOKEN_CHARS))));
    tokens.put("expired", token(c -> c.issueTime(Date.from(NOW.minusSeconds(3600)))
        .expirationTime(Date.from(NOW.minusSeconds(60)))));
    tokens.put("no exp", token(c -> c.expirationTime(null)));
    tokens.put("wrong aud", token(c -> c.audience("Elsewhere")));
    tokens.put("wrong iss", token(c -> c.issuer("Mallory")));
    tokens.put("unknown kid", sign(header().keyID("other"), claims()));
    tokens.put("alg edited", Jwts.withHeader(good, h -> h.put("alg", "HS512")));
    tokens.put("alg none", new PlainJWT(claims().build()).serialize());

    for (var c : cases.entrySet()) {
      String token = tokens.get(c.getKey());
      TokenVerifier cold = verifierFor(credential(KID, Optional.empty()));
      assertEquals(c.getValue(), refusalBy(cold, token), c.getKey() + " (fresh verifier)");
      assertEquals(c.getValue(), refusalBy(verifier, token), c.getKey() + " (header known)");
      assertEquals(c.getValue(), refusalBy(verifier, token), c.getKey() + " (asked again)");
    }
    assertEquals(NOW.plus(Duration.ofHours(2)), verifier.verify(good).expiresAt(), "the good token still verifies");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"RS256", "PS256", "RS512"})
  @DisplayName("RSA tokens verify with a Signature kept per thread, and a forged, cut or foreign signature never does")
  void rsaSignatureReuse(String alg) throws Exception {
    JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
    RSAKey other = new RSAKeyGenerator(2048).keyID("r1").generate();
    VerifyingCredential credential = new VerifyingCredential("r1", algorithm,
        new com.nimbusds.jose.crypto.RSASSAVerifier(rsa.toRSAPublicKey()), ISSUER, KeySource.KEYSET,
        Optional.empty(), Optional.empty());
    verifier = new TokenVerifier(new KeyRing(new KeyRingSnapshot(new SigningCredential("r1", algorithm,
        new RSASSASigner(rsa), ISSUER), List.of(credential))), SETTINGS, revocations, clock);
    JWSHeader.Builder header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID("r1");
    java.util.function.BiFunction<RSAKey, String, String> signed = (key, jti) -> {
      try {
        SignedJWT jwt = new SignedJWT(header.build(), claims().jwtID(jti).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };

    for (int i = 0; i < 5; i++) {
      assertEquals("jti-" + i, verifier.verify(signed.apply(rsa, "jti-" + i)).jwtId());
    }
    String good = signed.apply(rsa, "jti-x");
    String sig = good.substring(good.lastIndexOf('.') + 1);
    String input = good.substring(0, good.lastIndexOf('.') + 1);
    assertEquals(RejectionReason.BAD_SIGNATURE, refusalBy(verifier, signed.apply(other, "jti-y")));
    assertEquals(RejectionReason.BAD_SIGNATURE, refusalBy(verifier, Jwts.withPayload(good, p -> p.put("sub", "CN=Root"))));
    assertEquals(RejectionReason.BAD_SIGNATURE, refusalBy(verifier, input + sig.substring(0, 40)));
    assertEquals(RejectionReason.BAD_SIGNATURE, refusalBy(verifier, input + "AAAA"));
    assertEquals(RejectionReason.BAD_SIGNATURE, refusalBy(verifier, input + sig + "AAAA"));
    assertEquals(RejectionReason.ALGORITHM_MISMATCH,
        refusalBy(verifier, Jwts.withHeader(good, h -> h.put("alg", alg.equals("PS256") ? "RS256" : "PS256"))));
    assertEquals("jti-x", verifier.verify(good).jwtId(), "a failure leaves the next check sound");
    assertEquals("jti-z", verifier.verify(signed.apply(rsa, "jti-z")).jwtId());
  }

  @Test
  @DisplayName("a refusal after the header was read carries the token's kid (for the log)")
  void rejectionCarriesKid() {
    TokenRejectedException e = assertThrows(TokenRejectedException.class,
        () -> verifier.verify(sign(header().keyID("someone"), claims())));

    assertEquals(Optional.of("someone"), e.kid());
  }

  @Test
  @DisplayName("a kid the ring does not hold is UNKNOWN_KID")
  void unknownKid() {
    assertEquals(RejectionReason.UNKNOWN_KID, rejection(sign(header().keyID("other"), claims())));
  }

  @Test
  @DisplayName("a token without kid is UNKNOWN_KID: keys are never tried one by one")
  void noKid() {
    assertEquals(RejectionReason.UNKNOWN_KID, rejection(sign(header().keyID(null), claims())));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"HS384", "HS512", "RS256", "ES256", "PS256"})
  @DisplayName("an alg other than the key's own is ALGORITHM_MISMATCH")
  void algorithmMismatch(String alg) {
    String token = Jwts.withHeader(token(c -> c), h -> h.put("alg", alg));

    assertEquals(RejectionReason.ALGORITHM_MISMATCH, rejection(token));
  }

  @Test
  @DisplayName("a token signed with another secret is BAD_SIGNATURE")
  void otherSecret() {
    assertEquals(RejectionReason.BAD_SIGNATURE, rejection(Jwts.resignedWithRandomSecret(token(c -> c))));
  }

  @Test
  @DisplayName("a payload edited after signing (scope widened) is BAD_SIGNATURE")
  void tamperedPayload() {
    String token = Jwts.withPayload(token(c -> c), p -> p.put("scope", "MAIL $DATA ADMIN"));

    assertEquals(RejectionReason.BAD_SIGNATURE, rejection(token));
  }

  @Test
  @DisplayName("an HS256 token with its signature stripped is refused")
  void emptySignature() {
    String good = token(c -> c);
    String token = good.substring(0, good.lastIndexOf('.') + 1);

    assertTrue(Set.of(RejectionReason.MALFORMED, RejectionReason.BAD_SIGNATURE).contains(rejection(token)));
  }

  @Test
  @DisplayName("a token expired beyond the leeway is EXPIRED")
  void expired() {
    String token = token(c -> c.issueTime(Date.from(NOW.minusSeconds(3600)))
        .expirationTime(Date.from(NOW.minusSeconds(6))));

    assertEquals(RejectionReason.EXPIRED, rejection(token));
  }

  @Test
  @DisplayName("a token expired 3 s ago is accepted with a leeway of 5 s")
  void expiredWithinLeeway() throws Exception {
    String token = token(c -> c.issueTime(Date.from(NOW.minusSeconds(3600)))
        .expirationTime(Date.from(NOW.minusSeconds(3))));

    assertEquals("CN=Alice/O=Acme", verifier.verify(token).claims().getSubject());
  }

  @Test
  @DisplayName("the same token becomes EXPIRED once the clock passes exp plus leeway")
  void expiresWithClock() throws Exception {
    String token = token(c -> c);
    verifier.verify(token);

    clock.advance(Duration.ofHours(2).plusSeconds(6));

    assertEquals(RejectionReason.EXPIRED, rejection(token));
  }

  @Test
  @DisplayName("nbf beyond the leeway in the future is NOT_YET_VALID")
  void notYetValid() {
    assertEquals(RejectionReason.NOT_YET_VALID,
        rejection(token(c -> c.notBeforeTime(Date.from(NOW.plusSeconds(60))))));
  }

  @Test
  @DisplayName("nbf within the leeway is accepted")
  void notBeforeWithinLeeway() throws Exception {
    verifier.verify(token(c -> c.notBeforeTime(Date.from(NOW.plusSeconds(4)))));
  }

  @Test
  @DisplayName("iat beyond the leeway in the future is ISSUED_IN_FUTURE")
  void issuedInFuture() {
    assertEquals(RejectionReason.ISSUED_IN_FUTURE,
        rejection(token(c -> c.issueTime(Date.from(NOW.plusSeconds(60))))));
  }

  @Test
  @DisplayName("a lifetime over maxJwtDuration is LIFETIME_TOO_LONG")
  void lifetimeTooLong() {
    String token = token(c -> c.expirationTime(Date.from(NOW.plus(Duration.ofDays(1)).plusSeconds(1))));

    assertEquals(RejectionReason.LIFETIME_TOO_LONG, rejection(token));
  }

  @Test
  @DisplayName("a lifetime of exactly maxJwtDuration is accepted")
  void lifetimeAtMaximum() throws Exception {
    verifier.verify(token(c -> c.expirationTime(Date.from(NOW.plus(Duration.ofDays(1))))));
  }

  @Test
  @DisplayName("without iat the lifetime is measured from nbf")
  void lifetimeFromNotBefore() {
    String token = token(c -> c.issueTime(null).notBeforeTime(Date.from(NOW.minus(Duration.ofDays(2))))
        .expirationTime(Date.from(NOW.plusSeconds(60))));

    assertEquals(RejectionReason.LIFETIME_TOO_LONG, rejection(token));
  }

  @Test
  @DisplayName("an iss other than the key's issuer is WRONG_ISSUER")
  void wrongIssuer() {
    assertEquals(RejectionReason.WRONG_ISSUER, rejection(token(c -> c.issuer("SomebodyElse"))));
  }

  @Test
  @DisplayName("a token without iss is WRONG_ISSUER")
  void missingIssuer() {
    assertEquals(RejectionReason.WRONG_ISSUER, rejection(token(c -> c.issuer(null))));
  }

  @Test
  @DisplayName("an aud without our audience is WRONG_AUDIENCE")
  void wrongAudience() {
    assertEquals(RejectionReason.WRONG_AUDIENCE, rejection(token(c -> c.audience("Other"))));
  }

  @Test
  @DisplayName("a token without aud is WRONG_AUDIENCE")
  void missingAudience() {
    assertEquals(RejectionReason.WRONG_AUDIENCE, rejection(token(c -> c.audience((String) null))));
  }

  @Test
  @DisplayName("an aud list that contains our audience is accepted")
  void audienceList() throws Exception {
    verifier.verify(token(c -> c.audience(List.of("Other", AUDIENCE))));
  }

  @Test
  @DisplayName("a token verified by a key past its verifyUntil is KEY_RETIRED")
  void keyRetired() throws Exception {
    verifier = verifierFor(credential(KID, Optional.of(NOW.minusSeconds(1))));

    assertEquals(RejectionReason.KEY_RETIRED, rejection(token(c -> c)));
  }

  @Test
  @DisplayName("a retiring key still verifies before its verifyUntil")
  void keyRetiringStillVerifies() throws Exception {
    verifier = verifierFor(credential(KID, Optional.of(NOW.plusSeconds(60))));

    verifier.verify(token(c -> c));
  }

  @Test
  @DisplayName("a logged-out jti is REVOKED, and other tokens still verify")
  void revoked() throws Exception {
    String token = token(c -> c);
    revocations.revoke("jti-1", NOW.plus(Duration.ofHours(2)));

    assertEquals(RejectionReason.REVOKED, rejection(token));
    verifier.verify(token(c -> c.jwtID("jti-2")));
  }

  @Test
  @DisplayName("the header is checked before the key: an embedded jwk with an unknown kid is still EMBEDDED_KEY")
  void headerCheckedFirst() throws Exception {
    RSAKey attacker = new RSAKeyGenerator(2048).generate();
    String token = sign(header().keyID("attacker").jwk(attacker.toPublicJWK()), claims());

    assertEquals(RejectionReason.EMBEDDED_KEY, rejection(token));
  }

  @Test
  @DisplayName("claims are checked only after the signature: a forged expired token is BAD_SIGNATURE")
  void signatureBeforeClaims() {
    String token = Jwts.resignedWithRandomSecret(token(c -> c.expirationTime(Date.from(NOW.minusSeconds(60)))
        .issueTime(Date.from(NOW.minusSeconds(120)))));

    assertEquals(RejectionReason.BAD_SIGNATURE, rejection(token));
  }

  // ---- Provider tokens: the dispatch by iss, and the rules only providers have ----

  private static final String PROVIDER_ISS = "https://idp.example";
  private static final String RETIRED_ISS = "https://retired.example";

  /** A verifier with two static-key providers: {@code idp} (RS256, userIdentifier email) and an inactive one. */
  private TokenVerifier withProviders(RSAKey providerKey) throws Exception {
    ProviderConfig.StaticKey key = new ProviderConfig.StaticKey("p1", providerKey.toRSAPublicKey(), "p1.pem");
    ProviderConfig idp = new ProviderConfig("idp", true, key, PROVIDER_ISS, List.of("api://keep"),
        List.of(JWSAlgorithm.RS256), Optional.of("email"));
    ProviderConfig retired = new ProviderConfig("retired", false, key, RETIRED_ISS,
        List.of("api://keep"), List.of(JWSAlgorithm.RS256), Optional.empty());
    ProviderRegistry registry = ProviderRegistry.start(List.of(idp, retired), null, clock,
        RefreshRules.DEFAULT);
    SigningCredential signing = new SigningCredential(KID, JWSAlgorithm.HS256,
        new com.nimbusds.jose.crypto.MACSigner(secret), ISSUER);
    KeyRing ring = new KeyRing(new KeyRingSnapshot(signing, List.of(credential(KID, Optional.empty()))));
    return new TokenVerifier(ring, SETTINGS, revocations, clock,
        new ProviderTokenVerifier(registry, new TokenChecks(SETTINGS, revocations, clock)));
  }

  private static String providerToken(RSAKey key, JWSAlgorithm alg, UnaryOperator<JWTClaimsSet.Builder> edit)
      throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID("p1").build(),
        edit.apply(claims().issuer(PROVIDER_ISS).audience("api://keep").claim("email", "al@idp.example"))
            .build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  @Test
  @DisplayName("a provider token is verified by the provider its iss names, and says so")
  void providerToken() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).generate();
    verifier = withProviders(key);

    VerifiedToken verified = verifier.verify(providerToken(key, JWSAlgorithm.RS256, c -> c));

    assertEquals(KeySource.PROVIDER, verified.source());
    assertEquals(new ExternalIdentity("idp", "al@idp.example", "MAIL"), verified.external().orElseThrow());
  }

  @Test
  @DisplayName("a provider token whose alg is outside the provider's allow-list is ALGORITHM_NOT_ALLOWED")
  void providerAlgorithmNotAllowed() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).generate();
    verifier = withProviders(key);

    assertEquals(RejectionReason.ALGORITHM_NOT_ALLOWED,
        rejection(providerToken(key, JWSAlgorithm.PS256, c -> c)));
  }

  @Test
  @DisplayName("a token of an inactive provider is PROVIDER_INACTIVE")
  void providerInactive() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).generate();
    verifier = withProviders(key);

    assertEquals(RejectionReason.PROVIDER_INACTIVE,
        rejection(providerToken(key, JWSAlgorithm.RS256, c -> c.issuer(RETIRED_ISS))));
  }

  @Test
  @DisplayName("a provider token without the userIdentifier claim is NO_IDENTITY")
  void providerNoIdentity() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).generate();
    verifier = withProviders(key);

    assertEquals(RejectionReason.NO_IDENTITY,
        rejection(providerToken(key, JWSAlgorithm.RS256, c -> c.claim("email", null))));
  }

  @Test
  @DisplayName("a provider's key never vouches for the cluster's issuer: such a token is UNKNOWN_KID")
  void providerKeyCannotClaimClusterIssuer() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).generate();
    verifier = withProviders(key);

    assertEquals(RejectionReason.UNKNOWN_KID,
        rejection(providerToken(key, JWSAlgorithm.RS256, c -> c.issuer(ISSUER))));
  }

  @Test
  @DisplayName("reason codes are lower-case names for metrics and logs")
  void reasonCodes() {
    assertEquals("wrong_audience", RejectionReason.WRONG_AUDIENCE.code());
  }

  // --- JWE (issue 10): the decryption step at the entry of verify, then the usual rules ---

  private static Keyset jweKeyset;

  /** One EC keyset whose private key decrypts, made once for the JWE tests. */
  private static synchronized Keyset jweKeyset() throws Exception {
    if (jweKeyset == null) {
      jweKeyset = new KeysetLoader().load(new KeysetGenerator().generate(KeysetName.of("Jwe"),
          KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC()));
    }
    return jweKeyset;
  }

  /** The usual verifier, with the keyset "Jwe" as the one decryption key. */
  private TokenVerifier jweVerifier() throws Exception {
    DecryptionKey key = DecryptionKey.of(jweKeyset()).orElseThrow();
    SigningCredential signing = new SigningCredential(KID, JWSAlgorithm.HS256,
        new com.nimbusds.jose.crypto.MACSigner(secret), ISSUER);
    KeyRing ring = new KeyRing(new KeyRingSnapshot(signing, List.of(credential(KID, Optional.empty()))));
    return new TokenVerifier(ring, SETTINGS, revocations, clock,
        new JweUnwrapper(kid -> key.kid().equals(kid) ? Optional.of(key) : Optional.empty()));
  }

  private static String encrypt(JWEHeader header, String content, JWEEncrypter encrypter) throws Exception {
    JWEObject jwe = new JWEObject(header, new Payload(content));
    jwe.encrypt(encrypter);
    return jwe.serialize();
  }

  private static JWEHeader.Builder jweHeader() {
    return new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM).contentType("JWT")
        .keyID("Jwe");
  }

  private static JWEEncrypter toJweKeyset() throws Exception {
    return new ECDHEncrypter((java.security.interfaces.ECPublicKey) jweKeyset().verificationKey().publicKey());
  }

  @Test
  @DisplayName("a JWE to a held keyset wrapping a good token verifies as that token")
  void jweVerifies() throws Exception {
    verifier = jweVerifier();

    VerifiedToken verified = verifier.verify(encrypt(jweHeader().build(), token(c -> c), toJweKeyset()));

    assertEquals("CN=Alice/O=Acme", verified.claims().getSubject());
    assertEquals(KID, verified.kid());
  }

  @Test
  @DisplayName("a JWE with alg dir is JWE_UNSUPPORTED")
  void jweUnsupported() throws Exception {
    verifier = jweVerifier();
    JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).contentType("JWT")
        .keyID("Jwe").build();

    assertEquals(RejectionReason.JWE_UNSUPPORTED, rejection(encrypt(header, token(c -> c), new DirectEncrypter(secret))));
  }

  @Test
  @DisplayName("a JWE naming a kid with no decryption key (the signing kid included) is JWE_UNKNOWN_KID")
  void jweUnknownKid() throws Exception {
    verifier = jweVerifier();

    assertEquals(RejectionReason.JWE_UNKNOWN_KID,
        rejection(encrypt(jweHeader().keyID(KID).build(), token(c -> c), toJweKeyset())));
  }

  @Test
  @DisplayName("RSA-OAEP-256 under an EC keyset's kid is JWE_KEY_MISMATCH")
  void jweKeyMismatch() throws Exception {
    verifier = jweVerifier();
    JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
        .contentType("JWT").keyID("Jwe").build();
    JWEEncrypter rsa = new RSAEncrypter(new RSAKeyGenerator(2048).generate().toRSAPublicKey());

    assertEquals(RejectionReason.JWE_KEY_MISMATCH, rejection(encrypt(header, token(c -> c), rsa)));
  }

  @Test
  @DisplayName("a JWE encrypted to another key under the keyset's kid is JWE_UNDECRYPTABLE")
  void jweUndecryptable() throws Exception {
    verifier = jweVerifier();
    JWEEncrypter stranger = new ECDHEncrypter(new ECKeyGenerator(Curve.P_256).generate().toECPublicKey());

    assertEquals(RejectionReason.JWE_UNDECRYPTABLE, rejection(encrypt(jweHeader().build(), token(c -> c), stranger)));
  }

  @Test
  @DisplayName("a JWE wrapping an expired token is EXPIRED: the inner token meets every usual rule")
  void jweInnerExpired() throws Exception {
    verifier = jweVerifier();
    String inner = token(c -> c);
    clock.advance(Duration.ofHours(3));

    assertEquals(RejectionReason.EXPIRED, rejection(encrypt(jweHeader().build(), inner, toJweKeyset())));
  }
}
