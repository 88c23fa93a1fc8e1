package io.keepcluster.node.providers;

/**
 * A provider's keys could not be (re)fetched. The keys already cached keep verifying; the
 * {@link Kind} decides what {@code /health} says.
 */
public final class KeysUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  /** {@code UNREACHABLE}: no answer, a timeout, an HTTP error. {@code INVALID}: an answer we refuse. */
  public enum Kind { UNREACHABLE, INVALID }

  private final Kind kind;

  KeysUnavailableException(Kind kind, String url, String problem) {
    super(url + ": " + problem, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
