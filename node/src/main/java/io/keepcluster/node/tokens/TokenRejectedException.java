package io.keepcluster.node.tokens;

/** A token was refused. Carries a reason code; the message never contains the token itself. */
public final class TokenRejectedException extends Exception {

  private final RejectionReason reason;

  public TokenRejectedException(RejectionReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public RejectionReason reason() {
    return reason;
  }
}
