package io.keepcluster.it.harness;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One {@code keepcluster-node.jar} process with its own keepconfig.d. Its stdout goes to
 * {@code <node>.out} and its stderr (the log) to {@code <node>.log}, both appended across
 * restarts, under {@link ItPaths#logDir}. Nothing here sleeps: every wait is an Awaitility wait.
 */
public final class NodeProcess implements AutoCloseable {

  /** The ports a node announced on stdout. */
  public record Ports(int api, int health, int management, int metrics, int cluster) {}

  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern PORTS = Pattern.compile(
      "^ports api=(\\d+) health=(\\d+) management=(\\d+) metrics=(\\d+) cluster=(\\d+)\\s*$");
  /** Variables of the test JVM that must not leak into a node. */
  private static final List<String> SCRUBBED = List.of("PORT", "HEALTHCHECKPORT", "MANAGMENTPORT",
      "MANAGEMENTPORT", "METRICSPORT", "BIND", "MANAGEMENT_BIND", "METRICS_BIND");

  private final String id;
  private final Path configDir;
  private final Path log;
  private final Path out;
  private final Map<String, String> env;
  private final String managementPassword;
  private volatile Process process;
  private volatile Ports ports;
  private volatile NodeClient client;
  private volatile boolean suspended;
  private long outOffset;

  public NodeProcess(String id, Path configDir, Path logDir, Map<String, String> env) {
    this.id = id;
    this.configDir = configDir;
    this.log = logDir.resolve(id + ".log");
    this.out = logDir.resolve(id + ".out");
    this.env = Map.copyOf(env);
    this.managementPassword = env.getOrDefault("KEEP_MANAGEMENT_PASSWORD", "");
  }

  public String id() {
    return id;
  }

  public Path configDir() {
    return configDir;
  }

  public Path logFile() {
    return log;
  }

  public Map<String, String> env() {
    return env;
  }

  /** Starts the process and waits for its ports line. */
  public NodeProcess start() {
    launch();
    awaitPorts();
    return this;
  }

  /** Starts the process without waiting, so several nodes can boot in parallel. */
  public NodeProcess launch() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(id + " is already running (pid " + process.pid() + ")");
    }
    try {
      Files.createDirectories(log.getParent());
      Files.createDirectories(configDir.getParent());
      outOffset = Files.exists(out) ? Files.size(out) : 0;
      String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx256m", "-XX:+UseSerialGC",
          "-jar", ItPaths.nodeJar().toString(), "--config-dir", configDir.toString()));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.PIPE);
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(k -> k.startsWith("KEEP_") || SCRUBBED.contains(k));
      environment.putAll(env);
      String banner = "=== it-harness: starting " + id + " at " + Instant.now()
          + " config-dir=" + configDir + System.lineSeparator();
      Files.writeString(log, banner, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      ports = null;
      client = null;
      suspended = false;
      process = builder.start();
      process.getOutputStream().close();
      LiveProcesses.register(process);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + id, e);
    }
  }

  /** Waits (60 s) for {@code ports api=...} on stdout; fails at once if the process exits. */
  public Ports awaitPorts() {
    try {
      await("ports line of " + id).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
          .failFast("node " + id + " exited before announcing its ports", () -> !process.isAlive())
          .until(() -> readPorts().isPresent());
    } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
      throw new AssertionError(e.getMessage() + describeFailure(), e);
    }
    try {
      ports = readPorts().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ports;
  }

  private Optional<Ports> readPorts() throws IOException {
    if (!Files.exists(out)) {
      return Optional.empty();
    }
    byte[] all = Files.readAllBytes(out);
    String text = new String(all, (int) Math.min(outOffset, all.length),
        (int) Math.max(0, all.length - outOffset), StandardCharsets.UTF_8);
    for (String line : text.split("\\R")) {
      Matcher m = PORTS.matcher(line.trim());
      if (m.matches()) {
        return Optional.of(new Ports(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))));
      }
    }
    return Optional.empty();
  }

  /** Waits for the process to exit and answers its exit code. */
  public int awaitExit(Duration timeout) {
    await("exit of " + id).atMost(timeout).pollInterval(Duration.ofMillis(50))
        .until(() -> !process.isAlive());
    LiveProcesses.forget(process);
    return process.exitValue();
  }

  public Ports ports() {
    if (ports == null) {
      throw new IllegalStateException(id + " has not announced its ports");
    }
    return ports;
  }

  public NodeClient client() {
    NodeClient c = client;
    if (c == null) {
      c = new NodeClient(id, ports(), managementPassword);
      client = c;
    }
    return c;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** {@code kill -9}: no shutdown hook, no goodbye to the cluster. */
  public void kill9() {
    if (process == null) {
      return;
    }
    Process p = process;
    LiveProcesses.resumeQuietly(p);
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    waitFor(p, Duration.ofSeconds(30));
    LiveProcesses.forget(p);
  }

  /** SIGTERM and wait for a clean exit (30 s), then SIGKILL if it did not come. */
  public void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    Process p = process;
    if (suspended) {
      resume();
    }
    p.destroy();
    if (!waitFor(p, Duration.ofSeconds(30))) {
      System.out.println("[it] " + id + " ignored SIGTERM for 30 s, killing it; log " + log);
      p.destroyForcibly();
      waitFor(p, Duration.ofSeconds(30));
    }
    LiveProcesses.forget(p);
  }

  /** SIGTERM and return at once: for scenarios that watch the stop as it happens ({@link #awaitExit}). */
  public void terminate() {
    if (process != null && process.isAlive()) {
      process.destroy();
    }
  }

  public void suspend() {
    signal("-STOP");
    suspended = true;
  }

  public void resume() {
    signal("-CONT");
    suspended = false;
  }

  /** Stops (SIGTERM) and starts again; {@code emptyDir} deletes keepconfig.d first. Same env, same cluster port. */
  public NodeProcess restart(boolean emptyDir) {
    stop();
    if (emptyDir) {
      ItPaths.deleteTree(configDir);
    }
    return start();
  }

  private void signal(String signal) {
    try {
      int rc = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
      if (rc != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " exited " + rc);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The last lines of this node's log (stderr). */
  public List<String> logTail(int lines) {
    return tail(log, lines);
  }

  public String stderrSinceLastStart() {
    try {
      String all = Files.readString(log, StandardCharsets.UTF_8);
      int banner = all.lastIndexOf("=== it-harness: starting " + id);
      String rest = banner < 0 ? all : all.substring(banner);
      int eol = rest.indexOf('\n');
      return banner < 0 || eol < 0 ? rest : rest.substring(eol + 1);
    } catch (IOException e) {
      return "";
    }
  }

  String describeFailure() {
    StringBuilder b = new StringBuilder();
    b.append(System.lineSeparator()).append("  node ").append(id).append(" log: ").append(log)
        .append(System.lineSeparator()).append("  node ").append(id).append(" stdout: ").append(out);
    if (process != null && !process.isAlive()) {
      b.append(System.lineSeparator()).append("  exit code: ").append(process.exitValue());
    }
    for (String line : logTail(25)) {
      b.append(System.lineSeparator()).append("    | ").append(line);
    }
    return b.toString();
  }

  static List<String> tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return List.of();
      }
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException | UncheckedIOException e) {
      return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
    }
  }

  @Override
  public void close() {
    kill9();
  }

  /** The environment of a node that is part of no cluster. */
  /** The management password the harness gives a node whose directory admin has {@code adminPassword}. */
  public static String managementPassword(String adminPassword) {
    return "console-" + adminPassword;
  }

  public static Map<String, String> singleNodeEnv(String adminPassword) {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("HEALTHCHECKPORT", "0");
    env.put("MANAGMENTPORT", "0");
    env.put("METRICSPORT", "0");
    env.put("BIND", "127.0.0.1");
    // Scenarios that drop a keyset expect it to sign at once; a lead scenario sets its own.
    env.put("KEEP_ROLLOVER_LEAD_SECONDS", "0");
    // Restarts in scenarios need no load-balancer drain; GracefulShutdownIT sets its own.
    env.put("KEEP_SHUTDOWN_DRAIN_SECONDS", "0");
    env.put("KEEP_ADMIN_PASSWORD", adminPassword);
    // The management account has its own secret (never the directory admin's).
    env.put("KEEP_MANAGEMENT_PASSWORD", managementPassword(adminPassword));
    return env;
  }

  @Override
  public String toString() {
    return id + (process == null ? "" : "(pid " + process.pid() + ")");
  }
}
