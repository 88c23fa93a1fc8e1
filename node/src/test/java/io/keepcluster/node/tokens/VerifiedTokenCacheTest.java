package io.keepcluster.node.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.keys.EphemeralKey;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.providers.ProviderConfig;
import io.keepcluster.node.providers.ProviderRegistry;
import io.keepcluster.node.providers.ProviderTokenVerifier;
import io.keepcluster.node.providers.RefreshRules;
import io.keepcluster.node.testing.MutableClock;
import io.keepcluster.node.testing.Respellings;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache never accepts what a full verification would refuse: every change a
 * full verification would notice (time, logout, keyset revoked or retired, provider keys) is
 * noticed on a cache hit too. Real keysets, a real key registry, a clock the test moves.
 */
class VerifiedTokenCacheTest {

  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  private static final String ISSUER = "KeepCluster";
  private static final String AUDIENCE = "Domino";
  /** Tokens live 2 h; the registry keeps a retired keyset verifying for 1 h only, so retire bites. */
  private static final TokenSettings SETTINGS = new TokenSettings(Duration.ofHours(2),
      Duration.ofDays(1), ISSUER, AUDIENCE, Duration.ofSeconds(5));
  private static final Duration RETIRED_KEYS_VERIFY = Duration.ofHours(1);
  private static final String PROVIDER_ISS = "https://idp.example";

  private static Keyset keyset;

  private MutableClock clock;
  private LocalRevocations revocations;
  private KeysetRegistry registry;
  private KeyRing ring;
  private TokenVerifier verifier;

  @BeforeAll
  static void makeKeyset() throws Exception {
    keyset = new KeysetLoader().load(new KeysetGenerator().generate(KeysetName.of("Cached"),
        KeyAlgorithmSpec.ec("P-256"), Clock.fixed(T0.minusSeconds(60), ZoneOffset.UTC)));
  }

  @BeforeEach
  void setUp() {
    clock = new MutableClock(T0);
    revocations = new LocalRevocations(clock);
    EphemeralKey ephemeral = EphemeralKey.create("n1", ISSUER, new SecureRandom());
    ring = new KeyRing(new KeyRingSnapshot(ephemeral.signing(), List.of(ephemeral.verifying())));
    registry = new KeysetRegistry(ring, ephemeral, RETIRED_KEYS_VERIFY, clock, "n1");
    registry.put(keyset, true);
    verifier = new TokenVerifier(ring, SETTINGS, revocations, clock, new JweUnwrapper(registry::decryptionKey));
  }

  private IssuedToken issue() {
    return new TokenIssuer(ring, SETTINGS, clock).issue(new TokenRequest("CN=Alice/O=Acme", "al@acme.test", "MAIL"));
  }

  /** Verifies three times: the second use stores the token, so the third answer came from the cache. */
  private String cached(String token) throws Exception {
    verifier.verify(token);
    verifier.verify(token);
    long hits = verifier.cacheHits();
    verifier.verify(token);
    assertEquals(hits + 1, verifier.cacheHits(), "the third verification is a cache hit");
    return token;
  }

  private RejectionReason refusal(String token) {
    return assertThrows(TokenRejectedException.class, () -> verifier.verify(token)).reason();
  }

  @Test
  @DisplayName("a cache hit answers the same claims, kid and expiry as the full verification, and the same User")
  void hitEqualsMiss() throws Exception {
    String token = issue().serialized();
    VerifiedToken miss = verifier.verify(token);
    User missUser = new KeyRingJwtAuth(verifier).authenticate(new TokenCredentials(token)).result();
    // That second use stored the token: what follows are hits.

    VerifiedToken hit = verifier.verify(token);
    User hitUser = new KeyRingJwtAuth(verifier).authenticate(new TokenCredentials(token)).result();

    assertEquals(miss.claims().toJSONObject(), hit.claims().toJSONObject());
    assertEquals(miss.kid(), hit.kid());
    assertEquals(miss.source(), hit.source());
    assertEquals(miss.expiresAt(), hit.expiresAt());
    assertEquals(missUser.principal(), hitUser.principal());
    assertEquals(missUser.attributes(), hitUser.attributes());
    assertEquals(2, verifier.cacheMisses());
    assertEquals(2, verifier.cacheHits());
  }

  @Test
  @DisplayName("a cached token is EXPIRED once its exp and the leeway have passed")
  void expiry() throws Exception {
    String token = cached(issue().serialized());

    clock.advance(Duration.ofHours(2).plusSeconds(4));
    verifier.verify(token);
    clock.advance(Duration.ofSeconds(2));

    assertEquals(RejectionReason.EXPIRED, refusal(token));
  }

  @Test
  @DisplayName("a cached token is REVOKED as soon as it is logged out")
  void logout() throws Exception {
    IssuedToken issued = issue();
    String token = cached(issued.serialized());

    revocations.revoke(issued.claims().getJWTID(), issued.claims().getExpirationTime().toInstant());

    assertEquals(RejectionReason.REVOKED, refusal(token));
  }

  @Test
  @DisplayName("a cached token is refused as soon as its user is removed, disabled or logged out everywhere")
  void userCutOff() throws Exception {
    IssuedToken issued = issue();
    String token = cached(issued.serialized());

    revocations.revokeIssuedUpTo(issued.claims().getSubject(), clock.instant());

    assertEquals(RejectionReason.REVOKED, refusal(token));
  }

  @Test
  @DisplayName("a cached token is UNKNOWN_KID as soon as its keyset is revoked")
  void keysetRevoked() throws Exception {
    String token = cached(issue().serialized());

    registry.remove(keyset.kid());

    assertEquals(RejectionReason.UNKNOWN_KID, refusal(token));
  }

  @Test
  @DisplayName("a cached token of a retired keyset verifies while the keyset does, then is KEY_RETIRED")
  void retiredThenExpired() throws Exception {
    String token = cached(issue().serialized());

    registry.retire(keyset.kid());
    cached(token);
    clock.advance(RETIRED_KEYS_VERIFY.plusSeconds(1));

    assertEquals(RejectionReason.KEY_RETIRED, refusal(token));
    registry.dropExpired();
    assertEquals(RejectionReason.UNKNOWN_KID, refusal(token));
  }

  @Test
  @DisplayName("a cached token of a keyset re-dropped with other key material is refused")
  void keysetReplaced() throws Exception {
    String token = cached(issue().serialized());
    Keyset other = new KeysetLoader().load(new KeysetGenerator().generate(KeysetName.of("Cached"),
        KeyAlgorithmSpec.ec("P-256"), Clock.fixed(T0, ZoneOffset.UTC)));

    registry.remove(keyset.kid());
    registry.put(other, true);

    assertEquals(RejectionReason.BAD_SIGNATURE, refusal(token));
  }

  @Test
  @DisplayName("a JWE wrapping a cached token is never a hit, and stops decrypting when its keyset is revoked")
  void jweIsNotAHit() throws Exception {
    String token = cached(issue().serialized());
    JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM)
        .contentType("JWT").keyID(keyset.kid()).build(), new Payload(token));
    jwe.encrypt(new ECDHEncrypter((ECPublicKey) keyset.verificationKey().publicKey()));
    String wrapped = jwe.serialize();
    long hits = verifier.cacheHits();

    assertEquals("CN=Alice/O=Acme", verifier.verify(wrapped).claims().getSubject());
    assertEquals("CN=Alice/O=Acme", verifier.verify(wrapped).claims().getSubject());
    assertEquals("CN=Alice/O=Acme", verifier.verify(wrapped).claims().getSubject());
    assertEquals(hits, verifier.cacheHits());

    registry.remove(keyset.kid());
    assertEquals(RejectionReason.JWE_UNKNOWN_KID, refusal(wrapped));
  }

  @Test
  @DisplayName("another spelling of a cached token is not a hit: it is NON_CANONICAL")
  void respelledIsNotAHit() throws Exception {
    String token = cached(issue().serialized());
    long hits = verifier.cacheHits();

    assertEquals(RejectionReason.NON_CANONICAL, refusal(Respellings.paddedSignature(token)));
    assertEquals(hits, verifier.cacheHits());
  }

  @Test
  @DisplayName("a token used once is not stored, so a stream of one-shot tokens leaves the cache empty")
  void oneShotTokensAreNotStored() throws Exception {
    TokenIssuer issuer = new TokenIssuer(ring, SETTINGS, clock);
    registry.remove(keyset.kid()); // the ephemeral HS256 key signs: fast
    VerifiedTokenCache cache = cacheOf(verifier);

    for (int i = 0; i < 1_000; i++) {
      verifier.verify(issuer.issue(new TokenRequest("CN=U" + i + "/O=Acme", null, "MAIL")).serialized());
    }

    assertEquals(0, cache.size());
    assertEquals(0, verifier.cacheHits());
    String reused = issuer.issue(new TokenRequest("CN=Bob/O=Acme", null, "MAIL")).serialized();
    verifier.verify(reused);
    verifier.verify(reused);
    verifier.verify(reused);
    assertEquals(1, verifier.cacheHits(), "a token used twice is a hit from its third use");
  }

  @Test
  @DisplayName("100,000 distinct tokens leave the cache within its bound")
  void bounded() throws Exception {
    TokenIssuer issuer = new TokenIssuer(ring, SETTINGS, clock);
    registry.remove(keyset.kid()); // the ephemeral HS256 key signs: fast enough for 100k tokens
    VerifiedTokenCache cache = cacheOf(verifier);

    for (int i = 0; i < 100_000; i++) {
      String token = issuer.issue(new TokenRequest("CN=U" + i + "/O=Acme", null, "MAIL")).serialized();
      verifier.verify(token);
      verifier.verify(token); // a second use stores it
    }

    assertEquals(VerifiedTokenCache.DEFAULT_SLOTS, cache.capacity());
    assertTrue(cache.size() <= cache.capacity(), "at most " + cache.capacity() + " entries, was " + cache.size());
    assertTrue(cache.size() > cache.capacity() / 2, "the cache is used");
  }

  @Test
  @DisplayName("a cache hit of a provider token is refused once the provider's key is replaced or it is deactivated")
  void providerKeyRemoved() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).generate();
    ProviderRegistry providers = ProviderRegistry.start(List.of(provider(key, true)), null, clock,
        RefreshRules.DEFAULT);
    verifier = new TokenVerifier(ring, SETTINGS, revocations, clock,
        new ProviderTokenVerifier(providers, new TokenChecks(SETTINGS, revocations, clock)));
    String token = cached(providerToken(key));

    providers.apply(List.of(provider(new RSAKeyGenerator(2048).generate(), true)));
    assertEquals(RejectionReason.BAD_SIGNATURE, refusal(token));

    providers.apply(List.of(provider(key, true)));
    cached(token);
    providers.apply(List.of(provider(key, false)));
    assertEquals(RejectionReason.PROVIDER_INACTIVE, refusal(token));

    providers.apply(List.of(provider(key, true)));
    cached(token);
    providers.apply(List.of());
    assertEquals(RejectionReason.UNKNOWN_KID, refusal(token), "no provider: the cluster's ring has no such kid");
    providers.close();
  }

  private static ProviderConfig provider(RSAKey key, boolean active) throws Exception {
    return new ProviderConfig("idp", active,
        new ProviderConfig.StaticKey("p1", key.toRSAPublicKey(), "p1.pem"), PROVIDER_ISS,
        List.of("api://keep"), List.of(JWSAlgorithm.RS256), Optional.of("email"));
  }

  private static String providerToken(RSAKey key) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID("p1").build(),
        new JWTClaimsSet.Builder().issuer(PROVIDER_ISS).audience("api://keep").subject("al")
            .claim("email", "al@idp.example").jwtID("p-jti").issueTime(Date.from(T0))
            .expirationTime(Date.from(T0.plusSeconds(3600))).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static VerifiedTokenCache cacheOf(TokenVerifier verifier) throws Exception {
    var field = TokenVerifier.class.getDeclaredField("cache");
    field.setAccessible(true);
    return (VerifiedTokenCache) field.get(verifier);
  }
}
