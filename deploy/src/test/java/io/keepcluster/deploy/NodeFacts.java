package io.keepcluster.deploy;

import io.keepcluster.node.NodeIdentity;
import io.keepcluster.node.bootstrap.FirstStart;
import io.keepcluster.node.config.ConfigException;
import io.keepcluster.node.config.ConfigLoader;
import io.keepcluster.node.config.NodeConfig;
import io.keepcluster.node.logging.LogFormat;
import io.keepcluster.node.logging.LogSettings;
import io.keepcluster.shared.config.ConfigOverlay;
import io.keepcluster.shared.config.EnvironmentOverlay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;

/**
 * What the node itself says, asked of its own code rather than copied into the tests: its port
 * defaults and whether it reads an environment variable. The deploy files are checked against this.
 */
final class NodeFacts {

  /** Read by the launcher (the image's entrypoint, the systemd unit, local-cluster.sh), not the node. */
  static final Set<String> LAUNCHER = Set.of("JAVA_OPTS");
  private static final String STRONG_SECRET = "q8N2vX4kLp7RtZ1mWc9Jd3Hs6Fb0Ya5E";

  private NodeFacts() {}

  /** The node's configuration with nothing set: its defaults. */
  static NodeConfig defaults() {
    try {
      Path empty = Files.createTempDirectory("keep-defaults");
      try {
        return new ConfigLoader(ConfigOverlay.withBundledDefaults(), Map.of()).load(empty.resolve("keepconfig.d"));
      } finally {
        Files.deleteIfExists(empty);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ConfigException e) {
      throw new IllegalStateException("the node's defaults do not load: " + e.getMessage(), e);
    }
  }

  /** True when the variable is one the node (or its launcher) reads, . */
  static boolean known(String name) {
    return nodeReads(name) || LAUNCHER.contains(name);
  }

  /** Asks the node's code: does setting {@code name} change what the node does? */
  static boolean nodeReads(String name) {
    if (!EnvironmentOverlay.from(Map.of(name, "1")).isEmpty()) {
      return true;   // ports, BIND, publicUrl, issuer, rollover, cluster name/port/interface/members
    }
    if (LogSettings.fromEnvironment(Map.of(name, "json")).format() == LogFormat.JSON
        || LogSettings.fromEnvironment(Map.of(name, "/tmp/audit.log")).auditFile().isPresent()) {
      return true;   // KEEP_LOG_FORMAT, KEEP_AUDIT_FILE
    }
    if (name.equals(FirstStart.ADMIN_PASSWORD_ENV) || name.equals(FirstStart.MANAGEMENT_PASSWORD_ENV)) {
      return true;
    }
    if (NodeIdentity.create(Map.of(name, "probe-id"), new SecureRandom()).id().equals("probe-id")) {
      return true;   // KEEP_NODE_ID
    }
    return readsAsClusterSecret(name);
  }

  private static boolean readsAsClusterSecret(String name) {
    try {
      Path empty = Files.createTempDirectory("keep-env");
      try {
        return new ConfigLoader(ConfigOverlay.withBundledDefaults(), Map.of(name, STRONG_SECRET))
            .load(empty.resolve("keepconfig.d")).cluster().secret().isPresent();
      } finally {
        Files.deleteIfExists(empty);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ConfigException e) {
      return false;
    }
  }
}
