package io.keepcluster.node.tokens;

/** Why a token was refused; a stable code that logs and metrics can count. */
public enum RejectionReason {
  MISSING,
  TOO_LARGE,
  MALFORMED,
  UNSIGNED,
  ENCRYPTED_UNSUPPORTED,
  EMBEDDED_KEY,
  UNKNOWN_CRITICAL_HEADER,
  UNKNOWN_KID,
  ALGORITHM_MISMATCH,
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
