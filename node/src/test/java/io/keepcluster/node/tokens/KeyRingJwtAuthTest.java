package io.keepcluster.node.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.keys.EphemeralKey;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeySource;
import io.keepcluster.node.keys.SigningCredential;
import io.keepcluster.node.keys.VerifyingCredential;
import io.keepcluster.node.testing.Jwts;
import io.keepcluster.node.testing.MutableClock;
import io.keepcluster.node.testing.Respellings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.CredentialValidationException;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The node's {@code JWTAuth}: a verified token becomes a vertx-auth {@link User} laid out as
 * vertx-auth-jwt's own users are, every refusal fails the future with its reason, and a key ring
 * that holds no key for the token never waves it through (the trap of vertx-auth's provider with
 * no keys). Each test gets a fresh {@link Vertx} from {@link VertxExtension}.
 */
@ExtendWith(VertxExtension.class)
class KeyRingJwtAuthTest {

  private static final String KID = "k1";
  private static final String ISSUER = "https://keep.acme.test";
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final TokenSettings SETTINGS = new TokenSettings(Duration.ofHours(2),
      Duration.ofDays(1), ISSUER, "Domino", Duration.ofSeconds(5));

  private final byte[] secret = new byte[32];
  private final MutableClock clock = new MutableClock(NOW);
  private LocalRevocations revocations;
  private KeyRing ring;
  private KeyRingJwtAuth auth;
  private String token;

  @BeforeEach
  void setUp() throws Exception {
    new SecureRandom().nextBytes(secret);
    VerifyingCredential verifying = new VerifyingCredential(KID, JWSAlgorithm.HS256,
        new MACVerifier(secret), ISSUER, KeySource.KEYSET, Optional.empty(), Optional.empty());
    SigningCredential signing = new SigningCredential(KID, JWSAlgorithm.HS256, new MACSigner(secret), ISSUER);
    ring = new KeyRing(new KeyRingSnapshot(signing, List.of(verifying)));
    revocations = new LocalRevocations(clock);
    auth = new KeyRingJwtAuth(new TokenVerifier(ring, SETTINGS, revocations, clock));
    token = new TokenIssuer(ring, SETTINGS, clock)
        .issue(new TokenRequest("CN=Alice/O=Acme", "alice@acme.test", "MAIL $DATA")).serialized();
  }

  /** Completes {@code context} once {@code result} failed with a {@code reason} refusal. */
  private static void assertRefused(Future<User> result, RejectionReason reason, VertxTestContext context) {
    result.onComplete(context.failing(failure -> context.verify(() -> {
      TokenRejectedException refusal = assertInstanceOf(TokenRejectedException.class, failure);
      assertEquals(reason, refusal.reason());
      context.completeNow();
    })));
  }

  private String signed(Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> edit) throws Exception {
    JWTClaimsSet claims = edit.apply(new JWTClaimsSet.Builder(com.nimbusds.jwt.SignedJWT.parse(token)
        .getJWTClaimsSet())).build();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(KID).build();
    return Jwts.signHs256(secret, header, claims);
  }

  @Test
  @DisplayName("a token the node issued becomes a User with its claims, laid out as vertx-auth-jwt does")
  void validToken(VertxTestContext context) {
    auth.authenticate(new TokenCredentials(token)).onComplete(context.succeeding(user -> context.verify(() -> {
      JsonObject principal = user.principal();
      JsonObject claims = Jwts.payload(token);
      assertEquals("CN=Alice/O=Acme", principal.getString("sub"));
      assertEquals("CN=Alice/O=Acme", principal.getString("CN"));
      assertEquals("alice@acme.test", principal.getString("email"));
      assertEquals("MAIL $DATA", principal.getString("scope"));
      assertEquals(ISSUER, principal.getString("iss"));
      assertEquals("Domino", principal.getString("aud"));
      assertEquals(claims.getString("jti"), principal.getString("jti"));
      assertEquals(token, principal.getString("access_token"));
      assertFalse(principal.containsKey("exp"), "vertx-auth-jwt keeps the time claims out of the principal");

      JsonObject attributes = user.attributes();
      assertEquals(claims.getLong("exp"), attributes.getLong("exp"));
      assertEquals(claims.getLong("iat"), attributes.getLong("iat"));
      assertEquals("CN=Alice/O=Acme", attributes.getString("sub"));
      assertEquals("accessToken", attributes.getString("rootClaim"));
      assertEquals(claims, attributes.getJsonObject("accessToken"));
      assertEquals(new JsonObject().put("kid", KID).put("source", "keyset"),
          attributes.getJsonObject(KeyRingJwtAuth.VERIFIED_BY));

      assertEquals("CN=Alice/O=Acme", user.subject());
      assertEquals("MAIL $DATA", user.get("scope"));
      context.completeNow();
    })));
  }

  static Stream<Arguments> forgeries() {
    return Stream.of(
        Arguments.of("no token", RejectionReason.MISSING, (Forgery) t -> ""),
        Arguments.of("over 8 KiB", RejectionReason.TOO_LARGE,
            (Forgery) t -> t.signed(c -> c.claim("pad", "x".repeat(TokenVerifier.MAX_TOKEN_CHARS)))),
        Arguments.of("not a JWT", RejectionReason.MALFORMED, (Forgery) t -> "not.a.token"),
        Arguments.of("padded signature", RejectionReason.NON_CANONICAL,
            (Forgery) t -> Respellings.paddedSignature(t.token)),
        Arguments.of("alg none", RejectionReason.UNSIGNED, (Forgery) t ->
            Jwts.encode(new JsonObject().put("alg", "none")) + "." + t.token.split("\\.")[1] + "."),
        Arguments.of("a jku header", RejectionReason.EMBEDDED_KEY,
            (Forgery) t -> Jwts.withHeader(t.token, h -> h.put("jku", "https://evil.test/jwks.json"))),
        Arguments.of("unknown kid", RejectionReason.UNKNOWN_KID,
            (Forgery) t -> Jwts.withHeader(t.token, h -> h.put("kid", "k2"))),
        Arguments.of("HS384 header", RejectionReason.ALGORITHM_MISMATCH,
            (Forgery) t -> Jwts.withHeader(t.token, h -> h.put("alg", "HS384"))),
        Arguments.of("widened scope", RejectionReason.BAD_SIGNATURE,
            (Forgery) t -> Jwts.withPayload(t.token, p -> p.put("scope", "MAIL $DATA ADMIN"))),
        Arguments.of("expired", RejectionReason.EXPIRED, (Forgery) t -> t.signed(c -> c
            .issueTime(Date.from(NOW.minusSeconds(7300))).expirationTime(Date.from(NOW.minusSeconds(100))))),
        Arguments.of("nbf ahead", RejectionReason.NOT_YET_VALID,
            (Forgery) t -> t.signed(c -> c.notBeforeTime(Date.from(NOW.plusSeconds(60))))),
        Arguments.of("lifetime over maxJwtDuration", RejectionReason.LIFETIME_TOO_LONG,
            (Forgery) t -> t.signed(c -> c.expirationTime(Date.from(NOW.plus(Duration.ofDays(2)))))),
        Arguments.of("other issuer", RejectionReason.WRONG_ISSUER,
            (Forgery) t -> t.signed(c -> c.issuer("https://evil.test"))),
        Arguments.of("other audience", RejectionReason.WRONG_AUDIENCE,
            (Forgery) t -> t.signed(c -> c.audience("Elsewhere"))));
  }

  /** A function from this test (its valid token and secret) to a forged token. */
  @FunctionalInterface
  interface Forgery {
    String from(KeyRingJwtAuthTest test) throws Exception;
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("forgeries")
  @DisplayName("each refusal fails the future with the verifier's reason")
  void refusals(String name, RejectionReason reason, Forgery forgery, VertxTestContext context) throws Exception {
    assertRefused(auth.authenticate(new TokenCredentials(forgery.from(this))), reason, context);
  }

  @Test
  @DisplayName("a reused token gets an equal User each time, never one another request changed")
  void reusedTokenGetsItsOwnUser(VertxTestContext context) {
    TokenCredentials credentials = new TokenCredentials(token);
    // The first two uses are verified in full (the second stores the token in the verified-token
    // cache); the third is a cache hit, and from then on the User comes from a kept layout.
    auth.authenticate(credentials).compose(first -> auth.authenticate(credentials))
        .compose(once -> auth.authenticate(credentials).compose(twice -> {
      JsonObject principal = once.principal().copy();
      JsonObject attributes = once.attributes().copy();
      assertEquals(principal, twice.principal());
      assertEquals(attributes, twice.attributes());
      twice.principal().put("scope", "ADMIN").remove("sub");
      twice.attributes().put("exp", 0L).remove("rootClaim");
      // Below the top level the kept layout is shared between requests, so it refuses changes.
      assertThrows(UnsupportedOperationException.class,
          () -> twice.attributes().getJsonObject("accessToken").put("scope", "ADMIN"));
      assertThrows(UnsupportedOperationException.class,
          () -> twice.attributes().getJsonObject(KeyRingJwtAuth.VERIFIED_BY).put("kid", "forged"));
      assertThrows(UnsupportedOperationException.class,
          () -> twice.attributes().getJsonObject("accessToken").remove("sub"));
      return auth.authenticate(credentials).map(third -> {
        assertEquals(principal, third.principal());
        assertEquals(attributes, third.attributes());
        return third;
      });
    })).onComplete(context.succeeding(user -> context.completeNow()));
  }

  @Test
  @DisplayName("a logged-out token fails with REVOKED")
  void revoked(VertxTestContext context) {
    revocations.revoke(Jwts.payload(token).getString("jti"), NOW.plus(Duration.ofHours(2)));

    assertRefused(auth.authenticate(new TokenCredentials(token)), RejectionReason.REVOKED, context);
  }

  @Test
  @DisplayName("a null token fails with MISSING, not with an exception thrown at the caller")
  void nullToken(VertxTestContext context) {
    assertRefused(auth.authenticate(new TokenCredentials((String) null)), RejectionReason.MISSING, context);
  }

  @Test
  @DisplayName("credentials other than a token are refused as invalid credentials")
  void otherCredentials(VertxTestContext context) {
    auth.authenticate(new UsernamePasswordCredentials("alice", "alice-pw"))
        .onComplete(context.failing(failure -> context.verify(() -> {
          assertInstanceOf(CredentialValidationException.class, failure);
          context.completeNow();
        })));
  }

  /**
   * A ring with no keyset: only the ephemeral key of another node. vertx-auth's own provider
   * with no keys would skip the signature check; this one has no key for the token and refuses.
   */
  private KeyRingJwtAuth emptyRing() {
    EphemeralKey otherNode = EphemeralKey.create("other-node", ISSUER, new SecureRandom());
    KeyRing empty = new KeyRing(new KeyRingSnapshot(otherNode.signing(), List.of(otherNode.verifying())));
    return new KeyRingJwtAuth(new TokenVerifier(empty, SETTINGS, revocations, clock));
  }

  @Test
  @DisplayName("a ring without keysets refuses an unsigned alg none token")
  void emptyRingRefusesAlgNone(VertxTestContext context) {
    String unsigned = Jwts.encode(new JsonObject().put("alg", "none").put("typ", "JWT"))
        + "." + token.split("\\.")[1] + ".";

    assertRefused(emptyRing().authenticate(new TokenCredentials(unsigned)), RejectionReason.UNSIGNED, context);
  }

  @Test
  @DisplayName("a ring without keysets refuses alg none even when it names the ring's own kid")
  void emptyRingRefusesAlgNoneWithKnownKid(VertxTestContext context) {
    String unsigned = Jwts.encode(new JsonObject().put("alg", "none").put("kid", "ephemeral-other-node"))
        + "." + token.split("\\.")[1] + ".";

    assertRefused(emptyRing().authenticate(new TokenCredentials(unsigned)), RejectionReason.UNSIGNED, context);
  }

  @Test
  @DisplayName("a ring without keysets refuses a token signed with a key it does not hold")
  void emptyRingRefusesUnknownKey(VertxTestContext context) {
    assertRefused(emptyRing().authenticate(new TokenCredentials(token)), RejectionReason.UNKNOWN_KID, context);
  }

  @Test
  @DisplayName("a ring without keysets refuses a token signed with an unknown key under its own kid")
  void emptyRingRefusesUnknownKeyUnderItsKid(VertxTestContext context) {
    String forged = Jwts.withHeader(token, h -> h.put("kid", "ephemeral-other-node"));

    assertRefused(emptyRing().authenticate(new TokenCredentials(Jwts.resignedWithRandomSecret(forged))),
        RejectionReason.BAD_SIGNATURE, context);
  }

  @Test
  @DisplayName("generateToken throws: the node's JWTAuth never signs")
  void generateTokenThrows() {
    JsonObject claims = new JsonObject().put("sub", "CN=Alice/O=Acme");

    assertThrows(UnsupportedOperationException.class, () -> auth.generateToken(claims));
    assertThrows(UnsupportedOperationException.class,
        () -> auth.generateToken(claims, new io.vertx.ext.auth.JWTOptions()));
  }
}
