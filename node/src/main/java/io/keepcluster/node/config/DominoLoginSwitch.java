package io.keepcluster.node.config;

import java.util.function.BooleanSupplier;

/**
 * {@code disableDominoLogin}, the one setting a running node applies without a restart: the
 * login handler reads it on every request, {@link ConfigRecheck} sets it from each new valid
 * configuration. Nothing else depends on it, so flipping it mid-traffic is safe.
 */
public final class DominoLoginSwitch implements BooleanSupplier {

  static final String KEY = "disableDominoLogin";

  private volatile boolean disabled;

  public DominoLoginSwitch(boolean disabled) {
    this.disabled = disabled;
  }

  /** True while Domino login is disabled. */
  @Override
  public boolean getAsBoolean() {
    return disabled;
  }

  void apply(NodeConfig config) {
    disabled = config.dominoLoginDisabled();
  }
}
