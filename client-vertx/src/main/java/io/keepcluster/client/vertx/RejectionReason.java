package io.keepcluster.client.vertx;

/** Why a token was refused: a small closed set that logs and metrics can count. */
public enum RejectionReason {
  /** No token, or an empty one. */
  MISSING,
  /** Larger than {@code TokenVerifier.MAX_TOKEN_CHARS}. */
  TOO_LARGE,
  /** Not a compact JWS, or the claims are not a JSON object. */
  MALFORMED,
  /** {@code alg: none}. */
  UNSIGNED,
  /** An {@code alg} outside RS256, PS256, ES256, ES384, ES512 (HS*, RS384, ...). */
  ALGORITHM_NOT_ALLOWED,
  /** The header names no {@code kid}. */
  MISSING_KID,
  /** No published key has this {@code kid}, even after the refetch the rate limit allowed. */
  UNKNOWN_KID,
  /** The token's {@code alg} is not the {@code alg} of the key its {@code kid} names. */
  ALGORITHM_MISMATCH,
  /** The header carries {@code jwk}, {@code jku}, {@code x5u} or {@code x5c}. */
  EMBEDDED_KEY,
  /** The header carries {@code crit}. */
  CRITICAL_HEADER,
  /** The signature does not verify with the key. */
  BAD_SIGNATURE,
  /** {@code exp} is missing. */
  MISSING_EXPIRY,
  /** {@code exp} is past, beyond the leeway. */
  EXPIRED,
  /** {@code nbf} is in the future, beyond the leeway. */
  NOT_YET_VALID,
  /** {@code iat} is in the future, beyond the leeway. */
  ISSUED_IN_FUTURE,
  /** {@code iss} is not an issuer this auth accepts. */
  WRONG_ISSUER,
  /** {@code aud} does not contain the expected audience. */
  WRONG_AUDIENCE
}
