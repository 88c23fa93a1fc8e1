package io.keepcluster.shared.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A loaded and validated keyset: one NAME, one key pair, usable for signing and verifying JWTs.
 * Built only by {@link KeysetLoader}, so every instance has passed the key rules.
 */
public final class Keyset {

  private final KeysetName name;
  private final String issuer;
  private final boolean active;
  private final VerificationKey verificationKey;
  private final SigningKey signingKey;
  private final KeysetFiles files;
  private final String fingerprint;

  Keyset(KeysetName name, String issuer, boolean active, VerificationKey verificationKey,
     SigningKey signingKey, KeysetFiles files) {
    this.name = name;
    this.issuer = issuer;
    this.active = active;
    this.verificationKey = verificationKey;
    this.signingKey = signingKey;
    this.files = files;
    this.fingerprint = sha256Hex(verificationKey.publicKey().getEncoded());
  }

  public KeysetName name() {
    return name;
  }

  /** The key id of tokens signed with this keyset: its NAME. */
  public String kid() {
    return name.value();
  }

  public String jwsAlgorithm() {
    return verificationKey.jwsAlgorithm();
  }

  public String issuer() {
    return issuer;
  }

  /** False when the descriptor retires the keyset ({@code "active": false}). */
  public boolean active() {
    return active;
  }

  /** The certificate's notBefore (the creation time of generated keysets); EPOCH without a certificate. */
  public Instant notBefore() {
    return certificate().map(c -> c.getNotBefore().toInstant()).orElse(Instant.EPOCH);
  }

  public Optional<X509Certificate> certificate() {
    return verificationKey.certificate();
  }

  public VerificationKey verificationKey() {
    return verificationKey;
  }

  public SigningKey signingKey() {
    return signingKey;
  }

  /**
   * The keyset as four file contents, in the canonical form {@link KeysetFiles#writeTo} writes
   * (descriptor paths point to {@code NAME.*} files; a derived public key is included), so a
   * replica written on another node loads to the same keyset.
   */
  public KeysetFiles files() {
    return files;
  }

  /** Hex SHA-256 of the public key's SubjectPublicKeyInfo: identifies the key material. */
  public String fingerprint() {
    return fingerprint;
  }

  private static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  @Override
  public String toString() {
    return "Keyset[kid=" + kid() + ", alg=" + jwsAlgorithm() + ", issuer=" + issuer + ", active=" + active
        + ", fingerprint=" + fingerprint + "]";
  }
}
