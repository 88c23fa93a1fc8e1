package io.keepcluster.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The four files of a keyset made with the real {@code openssl} command, the way a DRAPI operator
 * makes them, staged outside any node's folder until {@link #dropInto} copies them in one by one.
 */
public record OpensslKeyset(String name, Path dir) {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /**
   * A keyset NAME that sorts after every name made before it in this JVM. The signer rule breaks a
   * tie of certificate notBefore (one-second precision) by the NAME that sorts last, so the newest
   * keyset of a test always becomes the signer.
   */
  public static String nextName(String label) {
    return String.format("K%03d_%s", SEQUENCE.incrementAndGet(), label);
  }

  public static OpensslKeyset rsa(String test, String name) {
    return make(test, name, "RSA", List.of("-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"));
  }

  public static OpensslKeyset ec(String test, String name) {
    return make(test, name, "EC", List.of("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"));
  }

  private static OpensslKeyset make(String test, String name, String algorithm, List<String> keyOptions) {
    // A folder per keyset, so two keysets with the same NAME (a conflict scenario) can be staged.
    Path dir = ItPaths.keyStaging(test).resolve(name + "-" + System.nanoTime());
    OpensslKeyset k = new OpensslKeyset(name, dir);
    try {
      Files.createDirectories(dir);
      List<String> genpkey = new ArrayList<>(List.of("openssl", "genpkey"));
      genpkey.addAll(keyOptions);
      genpkey.addAll(List.of("-out", k.privateKey().toString()));
      run(genpkey);
      Files.setPosixFilePermissions(k.privateKey(), PosixFilePermissions.fromString("rw-------"));
      run(List.of("openssl", "pkey", "-in", k.privateKey().toString(), "-pubout", "-out", k.publicKey().toString()));
      run(List.of("openssl", "req", "-new", "-x509", "-key", k.privateKey().toString(), "-subj", "/CN=" + name,
          "-days", "2", "-out", k.cert().toString()));
      Files.writeString(k.descriptor(), descriptor(name, algorithm), StandardCharsets.UTF_8);
      return k;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage keyset " + name, e);
    }
  }

  /** DRAPI's descriptor, as DESIGN.md section 4 shows it. */
  public static String descriptor(String name, String algorithm) {
    return "{\"JwtUsePubPrivKey\":true,\"JwtUsePemFile\":true,\"JwtIssuer\":\"CN=KeepCluster/F=" + name + "\","
        + "\"JwtPrivateKeyFile\":\"keepconfig.d/" + name + ".private.key.pem\","
        + "\"JwtPublicKeyFile\":\"keepconfig.d/" + name + ".public.key.pem\","
        + "\"JwtCertFile\":\"keepconfig.d/" + name + ".cert.pem\","
        + "\"JwtAlgorithm\":\"" + algorithm + "\"}\n";
  }

  public Path cert() {
    return dir.resolve(name + ".cert.pem");
  }

  public Path descriptor() {
    return dir.resolve(name + ".json");
  }

  public Path privateKey() {
    return dir.resolve(name + ".private.key.pem");
  }

  public Path publicKey() {
    return dir.resolve(name + ".public.key.pem");
  }

  /** Key files first, the descriptor last: the order in which a careful operator copies. */
  public List<Path> files() {
    return List.of(cert(), privateKey(), publicKey(), descriptor());
  }

  /** The descriptor first: the keyset is incomplete for a moment, as when an operator is slow. */
  public List<Path> filesDescriptorFirst() {
    return List.of(descriptor(), cert(), privateKey(), publicKey());
  }

  public void dropInto(Path configDir) {
    dropInto(configDir, files());
  }

  /** Copies the files into a node's keepconfig.d one by one, in the given order (private key keeps 0600). */
  public void dropInto(Path configDir, List<Path> order) {
    try {
      for (Path file : order) {
        Files.copy(file, configDir.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot drop " + name + " into " + configDir, e);
    }
  }

  /** The four file names of keyset {@code name}. */
  public static List<String> fileNames(String name) {
    return List.of(name + ".cert.pem", name + ".json", name + ".private.key.pem", name + ".public.key.pem");
  }

  /** Deletes the four files of keyset {@code name} from a node's keepconfig.d. */
  public static void deleteFrom(Path configDir, String name) {
    try {
      for (String f : fileNames(name)) {
        Files.deleteIfExists(configDir.resolve(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete keyset " + name + " in " + configDir, e);
    }
  }

  static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
