package io.keepcluster.shared.keys;

import io.keepcluster.shared.files.RefusedFileException;
import io.keepcluster.shared.files.SafeFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Loads a keyset from its descriptor and files, and refuses it unless the keys pass every rule:
 * the private key matches the public key and the certificate, RSA has at least 2048 bits, EC is
 * on P-256/P-384/P-521, and the descriptor's algorithm fits the key.
 *
 * <p>Key files are read with {@link SafeFiles}: only regular files (a symbolic link is followed,
 * its target must be a regular file) of at most {@link SafeFiles#MAX_PEM_BYTES}; a FIFO, device,
 * socket or directory is refused unopened, a bigger file unread.
 *
 * <p>Stateless and thread-safe. File I/O blocks: call it from a worker thread. It does not log;
 * the caller reports the {@link KeysetLoadException} (file + reason) and keeps its other keysets.
 */
public final class KeysetLoader {

  /**
   * Loads the keyset {@code descriptor} describes. Each file path resolves by its file name
   * inside {@code dir} first (so {@code keepconfig.d/X.pem} and {@code /opt/domino/keepconfig.d/X.pem}
   * both find {@code dir/X.pem} on any node), then as given: absolute, or relative to the
   * parent of {@code dir} (DRAPI's paths are relative to the Domino data directory) and to
   * the working directory. Without a public key file the public key is derived from the
   * private key.
   */
  public Keyset load(Path dir, KeysetDescriptor descriptor) throws KeysetLoadException {
    if (descriptor.privateKeyFile() == null) {
      throw new KeysetLoadException(descriptor.fileName(), "JwtPrivateKeyFile is missing; a keyset needs a private key");
    }
    KeysetName name = descriptor.name();
    String privatePem = read(dir, descriptor.privateKeyFile());
    String publicPem = descriptor.publicKeyFile() == null ? null : read(dir, descriptor.publicKeyFile());
    String certPem = descriptor.certFile() == null ? null : read(dir, descriptor.certFile());
    return build(descriptor, privatePem, fileNameOf(descriptor.privateKeyFile()),
        publicPem, publicPem == null ? KeysetFiles.publicKeyFileName(name) : fileNameOf(descriptor.publicKeyFile()),
        certPem, certPem == null ? KeysetFiles.certificateFileName(name) : fileNameOf(descriptor.certFile()));
  }

  /** Loads a keyset held in memory, e.g. one replicated from another node. */
  public Keyset load(KeysetFiles files) throws KeysetLoadException {
    KeysetName name = files.name();
    String descriptorFile = KeysetFiles.descriptorFileName(name);
    KeysetDescriptor descriptor = KeysetDescriptor.parse(descriptorFile, files.descriptorJson())
        .orElseThrow(() -> new KeysetLoadException(descriptorFile, "not a keyset descriptor (no \"JwtUsePubPrivKey\": true)"));
    return build(descriptor, files.privateKeyPem(), KeysetFiles.privateKeyFileName(name),
        files.publicKeyPem(), KeysetFiles.publicKeyFileName(name),
        files.certificatePem(), KeysetFiles.certificateFileName(name));
  }

  private Keyset build(KeysetDescriptor descriptor, String privatePem, String privateFile,
            String publicPem, String publicFile, String certPem, String certFile)
      throws KeysetLoadException {
    PrivateKey privateKey;
    String family;
    try {
      privateKey = PemKeys.parsePrivateKey(privatePem);
      family = KeyPolicy.checkStrength(privateKey);
    } catch (KeysetLoadException e) {
      throw e.inFile(privateFile);
    }
    PublicKey publicKey;
    try {
      publicKey = publicPem == null ? PemKeys.derivePublicKey(privateKey) : PemKeys.parsePublicKey(publicPem);
      KeyPolicy.checkStrength(publicKey);
      KeyPolicy.checkPair(privateKey, publicKey);
    } catch (KeysetLoadException e) {
      throw e.inFile(publicPem == null ? privateFile : publicFile);
    }
    X509Certificate certificate = null;
    if (certPem != null) {
      try {
        certificate = PemKeys.parseCertificate(certPem);
      } catch (KeysetLoadException e) {
        throw e.inFile(certFile);
      }
      if (!Arrays.equals(certificate.getPublicKey().getEncoded(), publicKey.getEncoded())) {
        throw new KeysetLoadException(certFile, "certificate is for another key than the keyset's public key");
      }
    }
    Optional<String> declared = descriptor.algorithmFamily();
    if (declared.isPresent() && !declared.get().equals(family)) {
      throw new KeysetLoadException(descriptor.fileName(), "JwtAlgorithm " + declared.get()
          + " does not match the " + family + " key");
    }
    String jws;
    try {
      jws = KeyPolicy.chooseJws(publicKey, descriptor.jwsAlgorithm());
    } catch (KeysetLoadException e) {
      throw e.inFile(descriptor.fileName());
    }
    String kid = descriptor.name().value();
    VerificationKey verificationKey = new VerificationKey(kid, jws, publicKey, Optional.ofNullable(certificate),
        descriptor.issuer());
    SigningKey signingKey = new SigningKey(kid, jws, privateKey, descriptor.issuer());
    KeysetFiles files = canonicalFiles(descriptor, privatePem, publicPem == null ? PemKeys.toPem(publicKey) : publicPem,
        certPem, publicPem == null);
    return new Keyset(descriptor.name(), descriptor.issuer(), descriptor.active(), verificationKey, signingKey, files);
  }

  /**
   * The contents in the form {@link KeysetFiles#writeTo} writes, so a copy on another node
   * resolves: descriptor paths name the {@code NAME.*} files. An already canonical descriptor
   * is kept byte for byte.
   */
  private static KeysetFiles canonicalFiles(KeysetDescriptor d, String privatePem, String publicPem,
                       String certPem, boolean publicDerived) {
    KeysetName name = d.name();
    String privatePath = "keepconfig.d/" + KeysetFiles.privateKeyFileName(name);
    String publicPath = "keepconfig.d/" + KeysetFiles.publicKeyFileName(name);
    String certPath = "keepconfig.d/" + KeysetFiles.certificateFileName(name);
    boolean canonical = !publicDerived
        && KeysetFiles.privateKeyFileName(name).equals(fileNameOf(d.privateKeyFile()))
        && KeysetFiles.publicKeyFileName(name).equals(fileNameOf(d.publicKeyFile()))
        && (certPem == null ? d.certFile() == null : KeysetFiles.certificateFileName(name).equals(fileNameOf(d.certFile())));
    String descriptorJson = d.source();
    if (!canonical) {
      JsonObject json = d.json()
          .put(KeysetDescriptor.PRIVATE_KEY_FILE, privatePath)
          .put(KeysetDescriptor.PUBLIC_KEY_FILE, publicPath);
      if (certPem == null) {
        json.remove(KeysetDescriptor.CERT_FILE);
      } else {
        json.put(KeysetDescriptor.CERT_FILE, certPath);
      }
      descriptorJson = json.encodePrettily();
    }
    return new KeysetFiles(name, descriptorJson, certPem, privatePem, publicPem);
  }

  private static String read(Path dir, String given) throws KeysetLoadException {
    Path path = resolve(dir, given);
    String file = path.getFileName().toString();
    try {
      return SafeFiles.readText(path, SafeFiles.MAX_PEM_BYTES);
    } catch (RefusedFileException e) {
      throw new KeysetLoadException(file, e.reason());
    } catch (IOException e) {
      throw new KeysetLoadException(file, "cannot read " + file + ": " + SafeFiles.reason(e));
    }
  }

  private static Path resolve(Path dir, String given) throws KeysetLoadException {
    List<Path> candidates = candidatePaths(dir, given);
    if (candidates.isEmpty()) {
      throw new KeysetLoadException(fileNameOf(given), "invalid file path");
    }
    String file = candidates.get(0).getFileName().toString();
    for (Path candidate : candidates) {
      // NOFOLLOW: a dangling link in DIR is found here and refused by name, not skipped.
      if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
        return candidate;
      }
    }
    // No directory in the reason: /health shows file names only.
    throw new KeysetLoadException(file, "missing file " + file
        + " (looked in the config folder and at the descriptor's path)");
  }

  /**
   * Where a descriptor's file path may point, in the order {@link #load} looks: the file name in
   * the config folder first, then the path as given (relative to the folder's parent, then to the
   * working directory). Empty for a path that cannot name a file. A watcher that stamps these
   * paths notices every change that could change what {@link #load} reads.
   */
  public static List<Path> candidatePaths(Path dir, String given) {
    Path asGiven;
    try {
      asGiven = Path.of(given);
    } catch (InvalidPathException e) {
      return List.of();
    }
    if (asGiven.getFileName() == null) {
      return List.of();
    }
    String file = asGiven.getFileName().toString();
    List<Path> candidates = new ArrayList<>();
    candidates.add(dir.resolve(file));
    if (asGiven.isAbsolute()) {
      candidates.add(asGiven);
    } else {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        candidates.add(parent.resolve(asGiven));
      }
      candidates.add(asGiven.toAbsolutePath());
    }
    return candidates;
  }

  private static String fileNameOf(String path) {
    if (path == null) {
      return null;
    }
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }

}
