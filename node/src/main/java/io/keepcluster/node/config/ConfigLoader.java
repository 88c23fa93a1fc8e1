package io.keepcluster.node.config;

import io.keepcluster.shared.config.ConfigFileException;
import io.keepcluster.shared.config.ConfigOverlay;
import java.nio.file.Path;
import java.util.Map;

/** Reads DIR and the environment into a validated {@link NodeConfig}. */
public final class ConfigLoader {

  private final ConfigOverlay overlay;
  private final Map<String, String> env;

  public ConfigLoader(ConfigOverlay overlay, Map<String, String> env) {
    this.overlay = overlay;
    this.env = Map.copyOf(env);
  }

  public static ConfigLoader fromEnvironment() {
    return new ConfigLoader(ConfigOverlay.withBundledDefaults(), System.getenv());
  }

  public Map<String, String> env() {
    return env;
  }

  public NodeConfig load(Path configDir) throws ConfigException {
    try {
      return NodeConfigParser.parse(configDir, overlay.effective(configDir, env), env);
    } catch (ConfigFileException e) {
      throw new ConfigException("invalid config file " + e.fileName() + ": " + e.reason());
    }
  }
}
