package io.keepcluster.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs deploy/local-cluster.sh on one cluster folder and base port, and remembers every node pid
 * it ever saw there so {@link #killAll} can end them even when the test failed half-way.
 */
final class LocalClusterScript implements AutoCloseable {

  record Result(int exit, String output) {}

  private static final long TIMEOUT_SECONDS = 300;
  private final Path dir;
  private final int basePort;
  private final Set<Long> seenPids = new HashSet<>();

  LocalClusterScript(Path dir, int basePort) {
    this.dir = dir;
    this.basePort = basePort;
  }

  Path dir() {
    return dir;
  }

  /** Node I's port at OFFSET (0 api, 6 health, 9 management, 10 metrics), as the script lays them out. */
  int port(int node, int offset) {
    return basePort + 20 * (node - 1) + offset;
  }

  Result run(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", DeployFiles.file("local-cluster.sh").toString(),
        "--dir", dir.toString(), "--base-port", Integer.toString(basePort), "--jar",
        DeployFiles.nodeJar().toString()));
    command.addAll(List.of(args));
    try {
      Path output = Files.createTempFile("local-cluster", ".out");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = builder.environment();
        // The test JVM's own settings must not leak into the nodes.
        env.keySet().removeIf(k -> k.startsWith("KEEP_") || k.equals("JAVA_OPTS"));
        // The nodes run on the JDK of the test (the script calls `java` from PATH).
        env.put("PATH", Path.of(DeployFiles.javaBin()).getParent() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("local-cluster.sh " + String.join(" ", args) + " did not finish in "
              + TIMEOUT_SECONDS + " s; output:\n" + Files.readString(output));
        }
        recordPids();
        String text = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println("[local-cluster.sh " + String.join(" ", args) + "] exit " + process.exitValue()
            + "\n" + text.replaceAll("(password: +)\\S+", "$1***"));
        return new Result(process.exitValue(), text);
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The pid in node I's pid file, if there is one. */
  Optional<Long> pid(int node) {
    Path file = dir.resolve("node" + node).resolve("pid");
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(file).trim());
      seenPids.add(pid);
      return Optional.of(pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** True while the pid is a live process started on this cluster folder. */
  boolean ours(long pid) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .flatMap(handle -> handle.info().commandLine())
        .filter(line -> line.contains(dir.toString())).isPresent();
  }

  Set<Long> seenPids() {
    recordPids();
    return Set.copyOf(seenPids);
  }

  private void recordPids() {
    try (Stream<Path> nodes = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
      nodes.filter(p -> p.getFileName().toString().matches("node\\d+"))
          .forEach(p -> pid(Integer.parseInt(p.getFileName().toString().substring(4))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Last resort after a failure: SIGKILL every node of this folder the test ever saw. */
  void killAll() {
    for (long pid : seenPids()) {
      ProcessHandle.of(pid).filter(handle -> ours(pid)).ifPresent(handle -> {
        handle.destroyForcibly();
        handle.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> handle).join();
      });
    }
  }

  @Override
  public void close() {
    try {
      run("stop");
    } finally {
      killAll();
    }
  }
}
