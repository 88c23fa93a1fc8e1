package io.keepcluster.shared.keys;

import java.math.BigInteger;
import java.security.spec.ECField;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The EC curves KeepCluster accepts (the JOSE curves with an ES* algorithm).
 *
 * <p>Curves are recognised by their domain parameters (prime, a, b, generator, order), not by a
 * provider-specific name, so keys from the JDK, from Bouncy Castle or decoded from explicit
 * parameters are all classified the same way.
 */
public enum EcCurve {
  P_256("P-256", "secp256r1", "ES256", "SHA256withECDSA"),
  P_384("P-384", "secp384r1", "ES384", "SHA384withECDSA"),
  P_521("P-521", "secp521r1", "ES512", "SHA512withECDSA");

  private final String joseName;
  private final String secName;
  private final String jwsAlgorithm;
  private final String certificateSignatureAlgorithm;
  private final X9ECParameters parameters;

  EcCurve(String joseName, String secName, String jwsAlgorithm, String certificateSignatureAlgorithm) {
    this.joseName = joseName;
    this.secName = secName;
    this.jwsAlgorithm = jwsAlgorithm;
    this.certificateSignatureAlgorithm = certificateSignatureAlgorithm;
    this.parameters = ECNamedCurveTable.getByName(secName);
  }

  /** "P-256", "P-384" or "P-521". */
  public String joseName() {
    return joseName;
  }

  /** "secp256r1", "secp384r1" or "secp521r1" (the JCA name). */
  public String secName() {
    return secName;
  }

  /** ES256, ES384 or ES512. */
  public String jwsAlgorithm() {
    return jwsAlgorithm;
  }

  /** The signature algorithm of a certificate signed with a key on this curve. */
  String certificateSignatureAlgorithm() {
    return certificateSignatureAlgorithm;
  }

  /** Looks up a curve by JOSE name or SEC/NIST/X9.62 alias, case-insensitively. */
  public static Optional<EcCurve> byName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (EcCurve curve : values()) {
      if (curve.joseName.toLowerCase(Locale.ROOT).equals(n) || curve.secName.equals(n)) {
        return Optional.of(curve);
      }
    }
    return switch (n) {
      case "prime256v1" -> Optional.of(P_256);
      default -> Optional.empty();
    };
  }

  /** The accepted curve these parameters describe, if any. */
  public static Optional<EcCurve> of(ECParameterSpec spec) {
    for (EcCurve curve : values()) {
      if (matches(spec, curve.parameters)) {
        return Optional.of(curve);
      }
    }
    return Optional.empty();
  }

  /**
   * A name for any curve, for error messages: the standard name when Bouncy Castle knows the
   * parameters (e.g. "secp256k1"), else its field size.
   */
  public static String describe(ECParameterSpec spec) {
    Optional<EcCurve> accepted = of(spec);
    if (accepted.isPresent()) {
      return accepted.get().joseName;
    }
    // Prefer SEC names ("secp192r1") over their X9.62 twins ("prime192v1").
    List<String> names = Collections.list(ECNamedCurveTable.getNames()).stream()
        .map(String::valueOf)
        .sorted(Comparator.comparing((String n) -> !n.startsWith("sec")).thenComparing(n -> n))
        .toList();
    for (String name : names) {
      X9ECParameters candidate = ECNamedCurveTable.getByName(name);
      if (candidate != null && matches(spec, candidate)) {
        return name;
      }
    }
    return "(unnamed, " + spec.getCurve().getField().getFieldSize() + "-bit field)";
  }

  private static boolean matches(ECParameterSpec spec, X9ECParameters x9) {
    ECField field = spec.getCurve().getField();
    if (!(field instanceof ECFieldFp fp) || !x9.getCurve().getField().getCharacteristic().equals(fp.getP())) {
      return false;
    }
    ECPoint g = x9.getG().normalize();
    return spec.getOrder().equals(x9.getN())
        && spec.getCurve().getA().equals(x9.getCurve().getA().toBigInteger())
        && spec.getCurve().getB().equals(x9.getCurve().getB().toBigInteger())
        && spec.getGenerator().getAffineX().equals(g.getAffineXCoord().toBigInteger())
        && spec.getGenerator().getAffineY().equals(g.getAffineYCoord().toBigInteger())
        && BigInteger.valueOf(spec.getCofactor()).equals(x9.getH());
  }
}
