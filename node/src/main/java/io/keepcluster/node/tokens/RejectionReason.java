package io.keepcluster.node.tokens;

/** Why a token was refused; a stable code that logs and metrics can count. */
public enum RejectionReason {
  MISSING,
  TOO_LARGE,
  MALFORMED,
  /** Another spelling of a token: base64 padding, the +/ alphabet, whitespace, non-zero trailing bits. */
  NON_CANONICAL,
  UNSIGNED,
  ENCRYPTED_UNSUPPORTED,
  EMBEDDED_KEY,
  UNKNOWN_CRITICAL_HEADER,
  UNKNOWN_KID,
  ALGORITHM_MISMATCH,
  /** An ECDSA signature whose S is above n/2: the second spelling of a valid signature. */
  HIGH_S_SIGNATURE,
  BAD_SIGNATURE,
  EXPIRED,
  NOT_YET_VALID,
  ISSUED_IN_FUTURE,
  LIFETIME_TOO_LONG,
  WRONG_ISSUER,
  WRONG_AUDIENCE,
  KEY_RETIRED,
  REVOKED,
  /**
   * A JWE outside the one accepted shape: alg not RSA-OAEP-256 or ECDH-ES+A256KW, enc not
   * A256GCM, cty not JWT, compressed (zip), a crit header, or wrapping another JWE.
   */
  JWE_UNSUPPORTED,
  /** A JWE whose kid names no keyset this node holds (or none at all). */
  JWE_UNKNOWN_KID,
  /** A JWE whose alg is not the one its kid's key type allows (RSA-OAEP-256 to an EC keyset...). */
  JWE_KEY_MISMATCH,
  /** A JWE that does not decrypt with its kid's key: tampered, or encrypted to another key. */
  JWE_UNDECRYPTABLE,
  /** A provider token whose alg is outside that provider's {@code algorithm} allow-list. */
  ALGORITHM_NOT_ALLOWED,
  /** The token's iss names a provider configured with {@code "active": false}. */
  PROVIDER_INACTIVE,
  /** A provider token without the claim that names its user. */
  NO_IDENTITY;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
