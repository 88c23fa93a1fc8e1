package io.keepcluster.node.http;

/**
 * A port the node cannot listen on: in use, or an address this host does not have. The message
 * is the one line an operator needs: which port (its setting), which address, and why.
 */
public final class ListenException extends RuntimeException {

  ListenException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  /** {@code cannot listen on api port 127.0.0.1:8880 (PORT): address already in use}. */
  static ListenException of(PortSpec spec, int port, Throwable failure) {
    return new ListenException("cannot listen on " + spec.describe(port) + ": " + reason(failure), failure);
  }

  /** The OS's words without Netty's or Java's decoration, lower case, like the rest of the line. */
  static String reason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      String lower = message.toLowerCase(java.util.Locale.ROOT);
      if (lower.contains("address already in use")) {
        return "address already in use";
      }
      if (lower.contains("cannot assign requested address")) {
        return "cannot assign requested address (is the bind address one of this host's?)";
      }
      if (lower.contains("permission denied")) {
        return "permission denied (ports below 1024 need privileges)";
      }
    }
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }
}
