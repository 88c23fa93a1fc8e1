package io.keepcluster.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where the integration tests keep node folders, logs and staged key files (all under target/). */
public final class ItPaths {

  private static final Path TARGET = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
      .resolve("target");

  private ItPaths() {}

  /** {@code target/it-logs/<test>}: one {@code <node>.log} (stderr, the node's log) and {@code <node>.out} (stdout) per node. */
  public static Path logDir(String test) {
    return TARGET.resolve("it-logs").resolve(test);
  }

  /** {@code target/it-nodes/<test>}: each node's keepconfig.d lives below it. */
  public static Path nodeRoot(String test) {
    return TARGET.resolve("it-nodes").resolve(test);
  }

  /** {@code target/it-keys/<test>}: key files made by openssl before they are dropped on a node. */
  public static Path keyStaging(String test) {
    return TARGET.resolve("it-keys").resolve(test);
  }

  public static Path nodeJar() {
    String jar = System.getProperty("keepcluster.node.jar");
    if (jar == null) {
      throw new IllegalStateException("system property keepcluster.node.jar is not set (run through failsafe)");
    }
    Path path = Path.of(jar).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("node jar " + path + " does not exist: run mvn install -DskipTests first");
    }
    return path;
  }

  /** Deletes a folder tree if it exists; a fresh test run never sees a previous run's files. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
