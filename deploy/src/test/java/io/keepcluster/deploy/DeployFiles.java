package io.keepcluster.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the deploy files and the node jar are; Maven passes both as system properties. */
final class DeployFiles {

  /** The JVM options every launcher uses by default (the lead's rule; JAVA_OPTS overrides). */
  static final String DEFAULT_JAVA_OPTS = "-Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxDirectMemorySize=64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps";
  /** The node's default drain on SIGTERM (KEEP_SHUTDOWN_DRAIN_SECONDS). */
  static final int DEFAULT_DRAIN_SECONDS = 5;

  private DeployFiles() {}

  static Path deployDir() {
    String given = System.getProperty("keepcluster.deploy.dir");
    Path dir = given != null ? Path.of(given) : Path.of("").toAbsolutePath();
    if (!Files.isRegularFile(dir.resolve("local-cluster.sh"))) {
      throw new IllegalStateException("no deploy folder at " + dir + " (set -Dkeepcluster.deploy.dir)");
    }
    return dir.toAbsolutePath().normalize();
  }

  static Path file(String relative) {
    return deployDir().resolve(relative);
  }

  static List<String> lines(String relative) throws java.io.IOException {
    return Files.readAllLines(file(relative));
  }

  static Path nodeJar() {
    String given = System.getProperty("keepcluster.node.jar");
    Path jar = given != null ? Path.of(given) : deployDir().resolve("../node/target/keepcluster-node.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no node jar at " + jar + ": build it (mvn -B -q -DskipTests package)");
    }
    return jar.toAbsolutePath().normalize();
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
