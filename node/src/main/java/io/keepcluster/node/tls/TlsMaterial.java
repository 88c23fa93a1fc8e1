package io.keepcluster.node.tls;

import io.keepcluster.node.config.TlsFiles;
import io.keepcluster.shared.files.SafeFiles;
import io.keepcluster.shared.keys.KeysetLoadException;
import io.keepcluster.shared.keys.PemKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;

/**
 * A certificate chain and its private key, read from the {@link TlsFiles} and checked to belong
 * together, ready for Vert.x. Immutable; the key is held only as the PEM handed to the TLS
 * context and never appears in {@link #toString()} or a message.
 *
 * <p>The chain and key are passed to Vert.x as values, not paths: Vert.x caches TLS contexts by
 * their options, and a path that did not change would never be read again on a reload. The key
 * is re-encoded as PKCS#8, so PKCS#1 and SEC1 files work whatever Vert.x's own PEM reader takes.
 */
public final class TlsMaterial {

  private final String chainPem;
  private final String keyPem;
  private final X509Certificate leaf;
  private final byte[] digest;

  private TlsMaterial(String chainPem, String keyPem, X509Certificate leaf, byte[] digest) {
    this.chainPem = chainPem;
    this.keyPem = keyPem;
    this.leaf = leaf;
    this.digest = digest;
  }

  /** Reads and checks both files; the message of a failure names the file and the reason. */
  public static TlsMaterial load(TlsFiles files) throws TlsMaterialException {
    String certText = read(files.certFile());
    String keyText = read(files.keyFile());
    List<X509Certificate> chain = certificates(files.certFile(), certText);
    PrivateKey key;
    PublicKey derived;
    try {
      key = PemKeys.parsePrivateKey(keyText);
      derived = PemKeys.derivePublicKey(key);
    } catch (KeysetLoadException e) {
      throw new TlsMaterialException("TLS keyFile " + name(files.keyFile()) + ": " + e.getMessage());
    }
    X509Certificate leaf = chain.get(0);
    if (!samePublicKey(derived, leaf.getPublicKey())) {
      throw new TlsMaterialException("TLS keyFile " + name(files.keyFile()) + " is not the key of the"
          + " first certificate in certFile " + name(files.certFile()) + " (" + leaf.getSubjectX500Principal().getName() + ")");
    }
    StringBuilder pem = new StringBuilder();
    chain.forEach(certificate -> pem.append(PemKeys.toPem(certificate)));
    return new TlsMaterial(pem.toString(), PemKeys.toPem(key), leaf, digest(certText, keyText));
  }

  /**
   * A cheap fingerprint of what the files hold now, to notice a change without parsing: the
   * SHA-256 of both contents. Following symbolic links, so a Kubernetes secret or a certbot
   * {@code live/} link swapped to a new target counts as a change.
   */
  public static byte[] fingerprint(TlsFiles files) throws TlsMaterialException {
    return digest(read(files.certFile()), read(files.keyFile()));
  }

  /** True when this material was read from files that held what {@code fingerprint} describes. */
  public boolean sameFiles(byte[] fingerprint) {
    return MessageDigest.isEqual(digest, fingerprint);
  }

  public PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions()
        .addCertValue(Buffer.buffer(chainPem, StandardCharsets.UTF_8.name()))
        .addKeyValue(Buffer.buffer(keyPem, StandardCharsets.UTF_8.name()));
  }

  public ServerSSLOptions sslOptions() {
    return new ServerSSLOptions().setKeyCertOptions(keyCert());
  }

  public String subject() {
    return leaf.getSubjectX500Principal().getName();
  }

  /** The serial number in hex, as {@code openssl x509 -serial} prints it. */
  public String serial() {
    return leaf.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
  }

  public Instant notAfter() {
    return leaf.getNotAfter().toInstant();
  }

  /** {@code subject="CN=..." serial=1A2B not_after=...}: what logs say about a certificate. */
  public String describe() {
    return "subject=\"" + subject() + "\" serial=" + serial() + " not_after=" + notAfter();
  }

  @Override
  public String toString() {
    return "TlsMaterial[" + describe() + "]";
  }

  private static String read(Path file) throws TlsMaterialException {
    try {
      return SafeFiles.readText(file, SafeFiles.MAX_PEM_BYTES);
    } catch (IOException e) {
      throw new TlsMaterialException("TLS file " + file + ": " + SafeFiles.reason(e));
    }
  }

  private static List<X509Certificate> certificates(Path file, String pem) throws TlsMaterialException {
    List<X509Certificate> chain = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          chain.add(new JcaX509CertificateConverter().getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new TlsMaterialException("TLS certFile " + name(file) + ": truncated or malformed PEM");
    }
    if (chain.isEmpty()) {
      throw new TlsMaterialException("TLS certFile " + name(file) + ": no certificate found in PEM");
    }
    return chain;
  }

  /** RSA by modulus and exponent, EC by point: encodings of one key may differ in form. */
  private static boolean samePublicKey(PublicKey a, PublicKey b) {
    if (a instanceof RSAPublicKey ra && b instanceof RSAPublicKey rb) {
      return ra.getModulus().equals(rb.getModulus()) && ra.getPublicExponent().equals(rb.getPublicExponent());
    }
    if (a instanceof ECPublicKey ea && b instanceof ECPublicKey eb) {
      return ea.getW().equals(eb.getW())
          && ea.getParams().getCurve().equals(eb.getParams().getCurve());
    }
    return Arrays.equals(a.getEncoded(), b.getEncoded());
  }

  private static byte[] digest(String cert, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(cert.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(key.getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String name(Path file) {
    return String.valueOf(file.getFileName());
  }
}
