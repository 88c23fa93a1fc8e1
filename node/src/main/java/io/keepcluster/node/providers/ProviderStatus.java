package io.keepcluster.node.providers;

import java.util.Locale;

/** What {@code /health} says about one provider. */
public enum ProviderStatus {
  /** Its keys are current. */
  OK,
  /** The last fetch got no good answer (network, timeout, HTTP error); cached keys keep verifying. */
  UNREACHABLE,
  /** Configured with {@code "active": false}: its tokens are refused. */
  INACTIVE,
  /** The provider answered with something refused (not a JWKS, too large, no usable key); cached keys keep verifying. */
  ERROR;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
