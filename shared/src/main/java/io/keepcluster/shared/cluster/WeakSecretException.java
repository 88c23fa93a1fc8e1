package io.keepcluster.shared.cluster;

/**
 * A cluster secret was refused by {@link ClusterSecret#parse}. The message is one line that names
 * the failed rule and the fix; it carries counts only, never the secret or any part of it, because
 * it ends up on stderr and in logs.
 */
public final class WeakSecretException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Which strength rule the secret broke, for callers and tests that branch on it. */
  public enum Rule {
    /** Fewer than {@link ClusterSecret#MIN_CHARACTERS} characters in all. */
    TOO_SHORT,
    /** Too little left once common words and repeated characters are taken out. */
    TOO_PREDICTABLE,
    /** Too few different characters in what is left. */
    TOO_FEW_DISTINCT
  }

  private final Rule rule;

  WeakSecretException(Rule rule, String message) {
    // No stack trace needed: this is a configuration refusal, reported as one line.
    super(message, null, false, false);
    this.rule = rule;
  }

  public Rule rule() {
    return rule;
  }
}
