package io.keepcluster.it.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The node jar's offline commands ({@code user add}, {@code idp create}) run as separate processes. */
public final class NodeCli {

  /** What a command answered. */
  public record Result(int exitCode, String output) {}

  private NodeCli() {}

  public static Result userAdd(Path configDir, String name, String dn, String password) {
    return run(List.of("user", "add", name, "--dn", dn, "--password-stdin", "--config-dir", configDir.toString()),
        password + "\n");
  }

  public static Result idpCreate(Path configDir, String name, String algorithm) {
    return run(List.of("idp", "create", name, "--algorithm", algorithm, "--config-dir", configDir.toString()), "");
  }

  public static Result run(List<String> args, String stdin) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", ItPaths.nodeJar().toString()));
    command.addAll(args);
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().keySet().removeIf(k -> k.startsWith("KEEP_"));
      Process p = builder.start();
      LiveProcesses.register(p);
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", args) + " did not finish in 60 s: " + output);
      }
      LiveProcesses.forget(p);
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", args), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
