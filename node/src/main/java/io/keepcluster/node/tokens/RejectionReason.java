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
  REVOKED;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
