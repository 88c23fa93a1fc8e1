package io.keepcluster.shared.keys;

/** A keyset NAME broke the naming rule; the message states the rule and the refused value. */
public final class InvalidKeysetNameException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  InvalidKeysetNameException(String message) {
    super(message);
  }
}
