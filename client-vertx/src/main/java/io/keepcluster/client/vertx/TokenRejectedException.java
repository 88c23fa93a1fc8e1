package io.keepcluster.client.vertx;

/**
 * A token was refused. {@link #reason()} is the countable cause; the message adds detail but never
 * the token itself. No stack trace: refusals are routine and cheap.
 */
public final class TokenRejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  private final RejectionReason reason;

  public TokenRejectedException(RejectionReason reason, String detail) {
    super(reason + ": " + detail, null, false, false);
    this.reason = reason;
  }

  public RejectionReason reason() {
    return reason;
  }
}
