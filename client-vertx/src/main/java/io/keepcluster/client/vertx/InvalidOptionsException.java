package io.keepcluster.client.vertx;

/**
 * A {@link KeepClusterAuthOptions} value breaks a rule; thrown by {@code build()}, never later.
 * The message names the option and the rule.
 */
public final class InvalidOptionsException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String option;

  public InvalidOptionsException(String option, String rule) {
    super("KeepClusterAuthOptions." + option + ": " + rule);
    this.option = option;
  }

  /** The option that is wrong, as named by its builder method. */
  public String option() {
    return option;
  }
}
