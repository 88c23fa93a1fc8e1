package io.keepcluster.node.tokens;

import java.util.Optional;

/**
 * A token was refused. Carries a reason code and, once the header could be read, the kid it
 * named. The message is for the log only, never for the caller (it may name the key's
 * algorithm); it never contains the token itself.
 */
public final class TokenRejectedException extends Exception {

  private final RejectionReason reason;
  private final String kid;

  public TokenRejectedException(RejectionReason reason, String message) {
    this(reason, message, null);
  }

  private TokenRejectedException(RejectionReason reason, String message, String kid) {
    super(message, null, false, false);
    this.reason = reason;
    this.kid = kid;
  }

  public RejectionReason reason() {
    return reason;
  }

  /** The kid the refused token named (attacker-chosen text: make it log-safe before logging). */
  public Optional<String> kid() {
    return Optional.ofNullable(kid);
  }

  TokenRejectedException withKid(String kid) {
    return kid == null ? this : new TokenRejectedException(reason, getMessage(), kid);
  }
}
