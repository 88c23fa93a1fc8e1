package io.keepcluster.shared.keys;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** What kind of key pair to generate: RSA 2048/3072/4096 or EC P-256/P-384/P-521. */
public final class KeyAlgorithmSpec {

  private static final int DEFAULT_RSA_BITS = 2048;

  private final String family;
  private final int rsaBits;
  private final EcCurve curve;

  private KeyAlgorithmSpec(String family, int rsaBits, EcCurve curve) {
    this.family = family;
    this.rsaBits = rsaBits;
    this.curve = curve;
  }

  /** RSA with 2048, 3072 or 4096 bits. */
  public static KeyAlgorithmSpec rsa(int bits) {
    if (bits != 2048 && bits != 3072 && bits != 4096) {
      throw new IllegalArgumentException("RSA key size must be 2048, 3072 or 4096 bits (got: " + bits + ")");
    }
    return new KeyAlgorithmSpec("RSA", bits, null);
  }

  /** EC on P-256, P-384 or P-521 (aliases secp256r1, secp384r1, secp521r1 accepted). */
  public static KeyAlgorithmSpec ec(String curve) {
    EcCurve c = EcCurve.byName(curve).orElseThrow(() -> new IllegalArgumentException(
        "EC curve must be P-256, P-384 or P-521 (got: " + curve + ")"));
    return new KeyAlgorithmSpec("EC", 0, c);
  }

  /**
   * From user input, e.g. a CLI flag or a console form: {@code algorithm} "RSA" or "EC"
   * (case-insensitive); {@code keySize} only for RSA (default 2048); {@code curve} only for EC
   * (default P-256).
   */
  public static KeyAlgorithmSpec parse(String algorithm, Integer keySize, String curve) {
    String family = algorithm == null ? "" : algorithm.trim().toUpperCase(Locale.ROOT);
    switch (family) {
      case "RSA":
        if (curve != null) {
          throw new IllegalArgumentException("a curve applies only to EC keys, not RSA (got curve: " + curve + ")");
        }
        return rsa(keySize == null ? DEFAULT_RSA_BITS : keySize);
      case "EC":
        if (keySize != null) {
          throw new IllegalArgumentException("EC keys take a curve (P-256, P-384, P-521), not a key size (got: " + keySize + ")");
        }
        return ec(curve == null ? EcCurve.P_256.joseName() : curve);
      default:
        throw new IllegalArgumentException("key algorithm must be RSA or EC (got: " + algorithm + ")");
    }
  }

  /** "RSA" or "EC"; also DRAPI's {@code JwtAlgorithm} value. */
  public String family() {
    return family;
  }

  /** RS256 for RSA; ES256, ES384 or ES512 by curve. */
  public String jwsAlgorithm() {
    return curve == null ? "RS256" : curve.jwsAlgorithm();
  }

  /** RSA modulus size in bits; 0 for EC. */
  public int rsaBits() {
    return rsaBits;
  }

  /** The curve; empty for RSA. */
  public Optional<EcCurve> curve() {
    return Optional.ofNullable(curve);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyAlgorithmSpec other
        && family.equals(other.family) && rsaBits == other.rsaBits && curve == other.curve;
  }

  @Override
  public int hashCode() {
    return Objects.hash(family, rsaBits, curve);
  }

  @Override
  public String toString() {
    return curve == null ? "RSA-" + rsaBits : "EC-" + curve.joseName();
  }
}
