package io.keepcluster.node.tls;

import io.keepcluster.node.keys.KeysetTestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A test CA and server certificates for 127.0.0.1 / localhost, made with the real {@code openssl}
 * command in a folder of the test, the way an operator makes them (README "TLS"). EC P-256 keys,
 * so a test spends milliseconds, not seconds, on key generation.
 */
public final class TestCertificates {

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** Makes the CA in {@code dir}. */
  public static TestCertificates authority(Path dir) {
    try {
      Files.createDirectories(dir);
      ok(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
          "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=KeepCluster Test CA", "-days", "2");
      Files.writeString(dir.resolve("server.ext"), "basicConstraints=CA:FALSE\n"
          + "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
          + "subjectAltName=IP:127.0.0.1,DNS:localhost\n", StandardCharsets.UTF_8);
      return new TestCertificates(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path caCert() {
    return dir.resolve("ca.crt");
  }

  /** A server certificate signed by the CA: {@code NAME.crt} and {@code NAME.key}, serial {@code serialHex}. */
  public Path[] server(String name, String serialHex) {
    ok(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
    ok(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-set_serial", "0x" + serialHex, "-days", "2", "-extfile", "server.ext", "-out", name + ".crt");
    return new Path[] {dir.resolve(name + ".crt"), dir.resolve(name + ".key")};
  }

  /** Replaces {@code target} with {@code source} in one rename, as a careful operator's script does. */
  public static void replace(Path source, Path target) {
    try {
      Path staged = target.resolveSibling("." + target.getFileName() + ".new");
      Files.copy(source, staged, StandardCopyOption.REPLACE_EXISTING);
      Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void ok(Path dir, String... args) {
    try {
      KeysetTestNode.opensslOk(dir, args);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
