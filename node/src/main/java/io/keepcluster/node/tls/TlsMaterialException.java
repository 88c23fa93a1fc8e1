package io.keepcluster.node.tls;

/** The TLS files cannot serve: unreadable, not PEM, or a key that is not the certificate's. */
public final class TlsMaterialException extends Exception {

  public TlsMaterialException(String message) {
    super(message);
  }
}
