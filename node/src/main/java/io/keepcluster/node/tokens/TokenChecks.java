package io.keepcluster.node.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.keys.VerifyingCredential;
import io.keepcluster.node.logging.LogSafe;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The checks every token passes whoever signed it: the cluster's own keys ({@link TokenVerifier})
 * and external providers alike. One place, so a provider token is never held to a lower standard
 * than the cluster's own. Issuer and audience are the caller's: they differ by who vouches.
 */
public final class TokenChecks {

  private final TokenSettings settings;
  private final Revocations revocations;
  private final Clock clock;

  public TokenChecks(TokenSettings settings, Revocations revocations, Clock clock) {
    this.settings = settings;
    this.revocations = revocations;
    this.clock = clock;
  }

  /**
   * Keys embedded in the header would let the token vouch for itself; critical extensions we do
   * not understand must be refused (RFC 7515 section 4.1.11).
   */
  public static void checkHeader(JWSHeader header) throws TokenRejectedException {
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

  /** The token's {@code alg} must be the key's one algorithm. */
  public static void checkAlgorithm(JWSHeader header, VerifyingCredential key)
      throws TokenRejectedException {
    if (!key.algorithm().equals(header.getAlgorithm())) {
      throw new TokenRejectedException(RejectionReason.ALGORITHM_MISMATCH,
          "token alg " + LogSafe.value(String.valueOf(header.getAlgorithm())) + " is not the key's alg "
              + key.algorithm());
    }
  }

  public static void checkSignature(SignedJWT jwt, VerifyingCredential key)
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

  /** The claims, parsed; before the signature is checked they are only good for choosing a key. */
  public static JWTClaimsSet claims(SignedJWT jwt) throws TokenRejectedException {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "claims are not a JSON object");
    }
  }

  /**
   * {@code exp} required and not past (with leeway), {@code nbf} and {@code iat} not in the
   * future, lifetime within {@code maxJwtDuration}, a retiring key still within its time.
   *
   * @return the token's expiry
   */
  public Instant checkTimes(JWTClaimsSet claims, VerifyingCredential key)
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
   * A token of a user removed, disabled or logged out everywhere since it was issued is refused.
   * Only for the cluster's own tokens: their {@code sub} is the directory user's DN.
   */
  public void checkSubjectNotCutOff(JWTClaimsSet claims) throws TokenRejectedException {
    Date iat = claims.getIssueTime();
    if (revocations.isCutOff(claims.getSubject(), iat == null ? null : iat.toInstant())) {
      throw new TokenRejectedException(RejectionReason.REVOKED,
          "the user's tokens were revoked (removed, disabled or logged out everywhere)");
    }
  }

  /** A token logged out on any node is refused. */
  public void checkNotRevoked(JWTClaimsSet claims) throws TokenRejectedException {
    if (revocations.isRevoked(claims.getJWTID())) {
      throw new TokenRejectedException(RejectionReason.REVOKED, "token was logged out");
    }
  }
}
