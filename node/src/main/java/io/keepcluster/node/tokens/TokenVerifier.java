package io.keepcluster.node.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.keys.EcdsaLowS;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeySource;
import io.keepcluster.node.keys.VerifyingCredential;
import io.keepcluster.node.logging.LogSafe;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Verifies bearer tokens against the key ring. The key is chosen by {@code kid} alone, never by
 * trying every key; the token's {@code alg} must be the key's one algorithm; an unknown kid fails
 * closed. Nimbus supplies parsing and the signature primitives; the policy lives here.
 *
 * <p>One token, one spelling: before any parsing the text must be the canonical compact
 * serialization ({@link CanonicalCompactForm}), and an ECDSA signature must be low-S. Every
 * refusal is a {@link TokenRejectedException}; nothing else escapes {@link #verify}.
 */
public final class TokenVerifier {

  /** Tokens above this size are refused before any parsing. */
  public static final int MAX_TOKEN_CHARS = 8 * 1024;

  private final KeyRing keyRing;
  private final TokenSettings settings;
  private final Revocations revocations;
  private final Clock clock;
  private final JweUnwrapper jwe;

  /** A verifier of signed tokens only: a JWE is refused (ENCRYPTED_UNSUPPORTED). */
  public TokenVerifier(KeyRing keyRing, TokenSettings settings, Revocations revocations, Clock clock) {
    this(keyRing, settings, revocations, clock, JweUnwrapper.disabled());
  }

  /** A verifier that first decrypts JWEs with {@code jwe}, then verifies their inner token. */
  public TokenVerifier(KeyRing keyRing, TokenSettings settings, Revocations revocations, Clock clock,
      JweUnwrapper jwe) {
    this.keyRing = keyRing;
    this.settings = settings;
    this.revocations = revocations;
    this.clock = clock;
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
    CanonicalCompactForm.check(token);
    SignedJWT jwt = parseSigned(token);
    JWSHeader header = jwt.getHeader();
    try {
      return verify(jwt, header);
    } catch (TokenRejectedException e) {
      throw e.withKid(header.getKeyID());
    }
  }

  private VerifiedToken verify(SignedJWT jwt, JWSHeader header) throws TokenRejectedException {
    checkHeader(header);
    VerifyingCredential key = keyRing.current().verifier(header.getKeyID())
        .orElseThrow(() -> new TokenRejectedException(RejectionReason.UNKNOWN_KID,
            "no key with this kid"));
    if (!key.algorithm().equals(header.getAlgorithm())) {
      throw new TokenRejectedException(RejectionReason.ALGORITHM_MISMATCH,
          "token alg " + LogSafe.value(String.valueOf(header.getAlgorithm())) + " is not the key's alg " + key.algorithm());
    }
    if (EcdsaLowS.isHighS(key.algorithm(), jwt.getSignature().decode())) {
      throw new TokenRejectedException(RejectionReason.HIGH_S_SIGNATURE,
          "ECDSA signature with S above n/2 (the other spelling of a signature) is refused");
    }
    checkSignature(jwt, key);
    JWTClaimsSet claims = claims(jwt);
    Instant expiry = checkTimes(claims, key);
    checkIssuerAndAudience(claims, key);
    if (revocations.isRevoked(claims.getJWTID())) {
      throw new TokenRejectedException(RejectionReason.REVOKED, "token was logged out");
    }
    return new VerifiedToken(claims, key.kid(), key.source(), expiry);
  }

  private static SignedJWT parseSigned(String token) throws TokenRejectedException {
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "not a JWT");
    }
    if (parsed instanceof SignedJWT signed) {
      return signed;
    }
    if (parsed instanceof EncryptedJWT) {
      throw new TokenRejectedException(RejectionReason.ENCRYPTED_UNSUPPORTED,
          "encrypted tokens are not accepted here");
    }
    throw new TokenRejectedException(RejectionReason.UNSIGNED, "unsigned tokens (alg none) are refused");
  }

  /**
   * Keys embedded in the header would let the token vouch for itself; critical extensions we do
   * not understand must be refused (RFC 7515 section 4.1.11).
   */
  private static void checkHeader(JWSHeader header) throws TokenRejectedException {
    if (header.getJWK() != null || header.getJWKURL() != null || header.getX509CertURL() != null
        || header.getX509CertChain() != null) {
      throw new TokenRejectedException(RejectionReason.EMBEDDED_KEY,
          "tokens naming their own key (jwk, jku, x5u, x5c) are refused");
    }
    // CanonicalCompactForm refuses crit first (empty, malformed, or naming what we do not
    // understand); this stays as the last line of defence.
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw new TokenRejectedException(RejectionReason.UNKNOWN_CRITICAL_HEADER,
          "unsupported critical header");
    }
    JOSEObjectType type = header.getType();
    if (type != null && !JOSEObjectType.JWT.equals(type)) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "typ must be JWT");
    }
  }

  private static void checkSignature(SignedJWT jwt, VerifyingCredential key)
      throws TokenRejectedException {
    boolean valid;
    try {
      valid = jwt.verify(key.verifier());
    } catch (JOSEException | IllegalStateException e) {
      valid = false;
    }
    if (!valid) {
      throw new TokenRejectedException(RejectionReason.BAD_SIGNATURE, "signature does not verify");
    }
  }

  private static JWTClaimsSet claims(SignedJWT jwt) throws TokenRejectedException {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "claims are not a JSON object");
    }
  }

  private Instant checkTimes(JWTClaimsSet claims, VerifyingCredential key)
      throws TokenRejectedException {
    Instant now = clock.instant();
    Duration leeway = settings.leeway();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "exp is required");
    }
    Instant expiry = exp.toInstant();
    if (now.isAfter(expiry.plus(leeway))) {
      throw new TokenRejectedException(RejectionReason.EXPIRED, "token expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().isAfter(now.plus(leeway))) {
      throw new TokenRejectedException(RejectionReason.NOT_YET_VALID, "token not valid yet (nbf)");
    }
    Date iat = claims.getIssueTime();
    if (iat != null && iat.toInstant().isAfter(now.plus(leeway))) {
      throw new TokenRejectedException(RejectionReason.ISSUED_IN_FUTURE, "iat is in the future");
    }
    Instant start = iat != null ? iat.toInstant() : nbf != null ? nbf.toInstant() : now;
    if (Duration.between(start, expiry).compareTo(settings.maxDuration()) > 0) {
      throw new TokenRejectedException(RejectionReason.LIFETIME_TOO_LONG,
          "token lifetime exceeds maxJwtDuration");
    }
    if (key.verifyUntil().isPresent() && now.isAfter(key.verifyUntil().get())) {
      throw new TokenRejectedException(RejectionReason.KEY_RETIRED, "key " + key.kid() + " is retired");
    }
    return expiry;
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
