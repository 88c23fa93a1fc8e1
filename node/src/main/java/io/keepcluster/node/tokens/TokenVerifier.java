package io.keepcluster.node.tokens;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.keys.EcdsaLowS;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeySource;
import io.keepcluster.node.keys.VerifyingCredential;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Verifies bearer tokens against the key ring. The key is chosen by {@code kid} alone, never by
 * trying every key; the token's {@code alg} must be the key's one algorithm; an unknown kid fails
 * closed. Nimbus supplies parsing and the signature primitives; the policy lives here.
 *
 * <p>One token, one spelling: before any parsing the text must be the canonical compact
 * serialization ({@link CanonicalCompactForm}), and an ECDSA signature must be low-S. Every
 * refusal is a {@link TokenRejectedException}; nothing else escapes {@link #verify}. A token is
 * decoded once ({@link CompactJws}); a plain header is parsed once per distinct header text.
 */
public final class TokenVerifier {

  /** Tokens above this size are refused before any parsing. */
  public static final int MAX_TOKEN_CHARS = 8 * 1024;

  private final KeyRing keyRing;
  private final TokenSettings settings;
  private final TokenChecks checks;
  private final ExternalIssuers external;
  private final JweUnwrapper jwe;
  private final VerifiedTokenCache cache = new VerifiedTokenCache();
  private final HeaderCache headers = new HeaderCache();

  /** A verifier of signed tokens only: a JWE is refused (ENCRYPTED_UNSUPPORTED). */
  public TokenVerifier(KeyRing keyRing, TokenSettings settings, Revocations revocations, Clock clock) {
    this(keyRing, settings, revocations, clock, JweUnwrapper.disabled(), ExternalIssuers.NONE);
  }

  /** A verifier that first decrypts JWEs with {@code jwe}, then verifies their inner token. */
  public TokenVerifier(KeyRing keyRing, TokenSettings settings, Revocations revocations, Clock clock,
      JweUnwrapper jwe) {
    this(keyRing, settings, revocations, clock, jwe, ExternalIssuers.NONE);
  }

  /** @param external providers whose tokens are theirs to verify, chosen by {@code iss} */
  public TokenVerifier(KeyRing keyRing, TokenSettings settings, Revocations revocations, Clock clock,
      ExternalIssuers external) {
    this(keyRing, settings, revocations, clock, JweUnwrapper.disabled(), external);
  }

  /**
   * @param jwe decrypts JWE bearers before anything else (issue 10)
   * @param external providers whose tokens are theirs to verify, chosen by {@code iss}
   */
  public TokenVerifier(KeyRing keyRing, TokenSettings settings, Revocations revocations, Clock clock,
      JweUnwrapper jwe, ExternalIssuers external) {
    this.keyRing = keyRing;
    this.settings = settings;
    this.checks = new TokenChecks(settings, revocations, clock);
    this.external = external;
    this.jwe = jwe;
  }

  /**
   * The inner JWS of a compact JWE (decrypted with a keyset this node holds); any other token
   * unchanged. For callers that must hand a plain JWS on, like Vert.x's {@code JWTAuthHandler}.
   */
  public String decrypt(String bearer) throws TokenRejectedException {
    return jwe.unwrap(bearer);
  }

  public VerifiedToken verify(String bearer) throws TokenRejectedException {
    if (bearer != null) {
      VerifiedTokenCache.Entry cached = cache.get(bearer);
      if (cached != null) {
        VerifiedToken reused = revalidate(cached);
        if (reused != null) {
          return reused;
        }
      }
    }
    // JWE (issue 10), a separate step kept apart from JWS verification: a compact JWE is
    // decrypted by JweUnwrapper (which enforces its own rules and size cap) and its inner JWS
    // is verified below exactly as a bare token. Any other token passes through unchanged.
    String token = jwe.unwrap(bearer);

    if (token == null || token.isBlank()) {
      throw new TokenRejectedException(RejectionReason.MISSING, "no bearer token");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new TokenRejectedException(RejectionReason.TOO_LARGE,
          "token larger than " + MAX_TOKEN_CHARS + " characters");
    }
    CompactJws jws = CompactJws.parse(token, headers);
    JWSHeader header = jws.header();
    try {
      VerifiedTokenCache.Entry verified = verify(jws, header, token);
      // Only the exact text of a bare JWS is remembered (from its second use); a JWE is
      // decrypted on every use.
      if (token == bearer) {
        cache.admit(verified);
      }
      return verified.verified();
    } catch (TokenRejectedException e) {
      throw e.withKid(header.getKeyID());
    }
  }

  /** Verified tokens answered from the cache (for metrics). */
  public long cacheHits() {
    return cache.hits();
  }

  /** Tokens that took the full verification (for metrics). */
  public long cacheMisses() {
    return cache.misses();
  }

  /**
   * A cached result, if everything that can change since it was computed still holds: the same
   * key object vouches in the current key ring (or an equal provider voucher), the token is in
   * its time window and not logged out. Null when the key changed (the caller verifies in full);
   * a refusal when a check fails, exactly as the full path would refuse it.
   */
  private VerifiedToken revalidate(VerifiedTokenCache.Entry cached) throws TokenRejectedException {
    VerifiedToken token = cached.verified();
    String iss = token.claims().getIssuer();
    VerifyingCredential key;
    if (cached.key() != null) {
      // A provider added since then would own this issuer; the full path decides that case.
      key = external.owns(iss) ? null : keyRing.current().verifier(token.kid()).orElse(null);
      if (key != cached.key()) {
        cache.remove(cached);
        return null;
      }
    } else {
      ExternalIssuers.Voucher voucher = external.voucher(iss, token.kid());
      if (voucher == null || !voucher.equals(cached.voucher())) {
        cache.remove(cached);
        return null;
      }
      key = voucher.key();
    }
    try {
      checks.checkTimes(token.claims(), key);
      checks.checkNotRevoked(token.claims());
      if (cached.key() != null) {
        // A user removed, disabled or logged out everywhere since: the cut-off applies to hits too.
        checks.checkSubjectNotCutOff(token.claims());
      }
    } catch (TokenRejectedException e) {
      cache.remove(cached);
      throw e.withKid(token.kid());
    }
    return token;
  }

  private VerifiedTokenCache.Entry verify(CompactJws jws, JWSHeader header, String token)
      throws TokenRejectedException {
    TokenChecks.checkHeader(header);
    // Dispatch: a token whose iss names an external provider is that provider's alone to verify
    // (one map lookup); every other token is the cluster's own.
    JWTClaimsSet unverified = jws.claims();
    if (external.owns(unverified.getIssuer())) {
      // Taken before verifying: if the provider's keys change meanwhile, the stored voucher is
      // stale and the cached result is never used.
      ExternalIssuers.Voucher voucher = external.voucher(unverified.getIssuer(), header.getKeyID());
      VerifiedToken verified = external.verify(jws.signed(), header, unverified);
      return new VerifiedTokenCache.Entry(token, verified, null, voucher);
    }
    VerifyingCredential key = keyRing.current().verifier(header.getKeyID())
        .orElseThrow(() -> new TokenRejectedException(RejectionReason.UNKNOWN_KID,
            "no key with this kid"));
    return new VerifiedTokenCache.Entry(token, verifyOwn(jws, header, key), key, null);
  }

  private VerifiedToken verifyOwn(CompactJws jws, JWSHeader header, VerifyingCredential key)
      throws TokenRejectedException {
    TokenChecks.checkAlgorithm(header, key);
    if (EcdsaLowS.isHighS(key.algorithm(), jws.signature())) {
      throw new TokenRejectedException(RejectionReason.HIGH_S_SIGNATURE,
          "ECDSA signature with S above n/2 (the other spelling of a signature) is refused");
    }
    jws.checkSignature(key);
    JWTClaimsSet claims = jws.claims();
    Instant expiry = checks.checkTimes(claims, key);
    checkIssuerAndAudience(claims, key);
    checks.checkNotRevoked(claims);
    checks.checkSubjectNotCutOff(claims);
    return new VerifiedToken(claims, key.kid(), key.source(), expiry);
  }

  /**
   * The cluster's own keys (keysets, the ephemeral key) sign with the cluster issuer; a keyset also
   * keeps its DRAPI {@code JwtIssuer} for tokens a DRAPI server sharing its files made. A
   * provider's key vouches for its own issuer only, never for the cluster's.
   */
  private boolean acceptedIssuer(String iss, VerifyingCredential key) {
    boolean clusterKey = key.source() == KeySource.KEYSET || key.source() == KeySource.EPHEMERAL;
    return key.issuer().equals(iss) || clusterKey && settings.issuer().equals(iss);
  }

  private void checkIssuerAndAudience(JWTClaimsSet claims, VerifyingCredential key)
      throws TokenRejectedException {
    if (!acceptedIssuer(claims.getIssuer(), key)) {
      throw new TokenRejectedException(RejectionReason.WRONG_ISSUER, "iss does not match the key's issuer");
    }
    List<String> audience = claims.getAudience();
    if (audience == null || !audience.contains(settings.audience())) {
      throw new TokenRejectedException(RejectionReason.WRONG_AUDIENCE,
          "aud must contain " + settings.audience());
    }
  }
}
