package io.keepcluster.shared.keys;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real openssl / ssh-keygen binaries; tests that need one are skipped where it is absent. */
final class ExternalTools {

  static final Path OPENSSL = Path.of("/usr/bin/openssl");
  static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");

  private ExternalTools() {
  }

  static void assumeOpenssl() {
    assumeTrue(Files.isExecutable(OPENSSL), "needs /usr/bin/openssl");
  }

  static void assumeSshKeygen() {
    assumeTrue(Files.isExecutable(SSH_KEYGEN), "needs /usr/bin/ssh-keygen");
  }

  /** Runs {@code command} in {@code dir}; returns the exit code. Output goes to dir/.tool.log. */
  static int run(Path dir, String... command) throws IOException, InterruptedException {
    Path log = dir.resolve(".tool.log");
    Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("timed out: " + String.join(" ", command));
    }
    return process.exitValue();
  }

  /** Runs {@code command} and fails the test unless it exits 0. */
  static void runOk(Path dir, String... command) throws IOException, InterruptedException {
    int rc = run(dir, command);
    if (rc != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + rc + ": "
          + Files.readString(dir.resolve(".tool.log"), StandardCharsets.UTF_8));
    }
  }

  /** A DRAPI descriptor NAME.json naming the given files (null: left out). */
  static KeysetDescriptor writeDescriptor(Path dir, String name, String privateFile, String publicFile,
                      String certFile, String algorithm) throws Exception {
    StringBuilder json = new StringBuilder("{\"JwtUsePubPrivKey\": true, \"JwtUsePemFile\": true");
    if (privateFile != null) {
      json.append(", \"JwtPrivateKeyFile\": \"keepconfig.d/").append(privateFile).append('"');
    }
    if (publicFile != null) {
      json.append(", \"JwtPublicKeyFile\": \"keepconfig.d/").append(publicFile).append('"');
    }
    if (certFile != null) {
      json.append(", \"JwtCertFile\": \"keepconfig.d/").append(certFile).append('"');
    }
    if (algorithm != null) {
      json.append(", \"JwtAlgorithm\": \"").append(algorithm).append('"');
    }
    json.append('}');
    Files.writeString(dir.resolve(name + ".json"), json);
    return KeysetDescriptor.parse(name + ".json", json.toString()).orElseThrow();
  }
}
