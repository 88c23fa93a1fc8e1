package io.keepcluster.shared.keys;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Optional;

/**
 * Decides with a few multiplications whether a private key belongs to a public key, instead of
 * signing and verifying a probe. The probe cost one private-key operation per keyset (an RSA-2048
 * one is about 1.5 ms, plus the JIT work for it), which dominated a node's start with 1,000
 * keysets; these checks cost microseconds.
 *
 * <ul>
 *   <li>RSA (CRT form, what every PKCS#1/PKCS#8 file holds): the private key's modulus and
 *       public exponent are the public key's, and the parameters a signature is made with fit
 *       them (p·q = n, e·dP = 1 mod p-1, e·dQ = 1 mod q-1, q·qInv = 1 mod p), so what the JDK
 *       signs with this key (it signs with p, q, dP, dQ, qInv; d is not used) verifies under
 *       (n, e). No gcd or primality test: each would cost more than the rest together.
 *   <li>EC: both keys are on the same curve, 0 &lt; d &lt; order and d·G is the public point Q.
 * </ul>
 *
 * <p>Answers {@link Verdict#UNDECIDED} for key forms these checks cannot judge (an RSA private
 * key without CRT parameters, a provider's opaque key, an unknown curve); the caller then falls
 * back to the probe, so no key is accepted on less evidence than before.
 */
final class KeyPairMatch {

  enum Verdict { MATCH, MISMATCH, UNDECIDED }

  private KeyPairMatch() {
  }

  static Verdict check(PrivateKey privateKey, PublicKey publicKey) {
    try {
      if (privateKey instanceof RSAPrivateCrtKey rsa && publicKey instanceof RSAPublicKey pub) {
        return rsa(rsa, pub);
      }
      if (privateKey instanceof ECPrivateKey ec && publicKey instanceof ECPublicKey pub) {
        return ec(ec, pub);
      }
    } catch (RuntimeException e) {
      // A value the arithmetic cannot handle (e.g. a zero modulus): let the probe judge it.
    }
    return Verdict.UNDECIDED;
  }

  private static Verdict rsa(RSAPrivateCrtKey k, RSAPublicKey pub) {
    BigInteger n = k.getModulus();
    BigInteger e = k.getPublicExponent();
    BigInteger p = k.getPrimeP();
    BigInteger q = k.getPrimeQ();
    BigInteger dp = k.getPrimeExponentP();
    BigInteger dq = k.getPrimeExponentQ();
    BigInteger qInv = k.getCrtCoefficient();
    if (anyMissing(n, e, p, q, dp, dq, qInv)) {
      return Verdict.UNDECIDED;
    }
    if (!n.equals(pub.getModulus()) || !e.equals(pub.getPublicExponent())) {
      return Verdict.MISMATCH;
    }
    BigInteger pm1 = p.subtract(BigInteger.ONE);
    BigInteger qm1 = q.subtract(BigInteger.ONE);
    if (pm1.signum() <= 0 || qm1.signum() <= 0) {
      return Verdict.MISMATCH;
    }
    boolean consistent = p.multiply(q).equals(n)
        && isOne(e.multiply(dp).mod(pm1))
        && isOne(e.multiply(dq).mod(qm1))
        && isOne(q.multiply(qInv).mod(p));
    return consistent ? Verdict.MATCH : Verdict.MISMATCH;
  }

  private static Verdict ec(ECPrivateKey k, ECPublicKey pub) {
    ECParameterSpec params = k.getParams();
    Optional<EcCurve> curve = EcCurve.of(params);
    if (curve.isEmpty()) {
      return Verdict.UNDECIDED;
    }
    if (!curve.equals(EcCurve.of(pub.getParams()))) {
      return Verdict.MISMATCH;
    }
    BigInteger d = k.getS();
    if (d == null || d.signum() <= 0 || d.compareTo(params.getOrder()) >= 0) {
      return Verdict.MISMATCH;
    }
    ECPoint derived = PemKeys.publicPoint(k);
    return derived.equals(pub.getW()) ? Verdict.MATCH : Verdict.MISMATCH;
  }

  private static boolean anyMissing(BigInteger... values) {
    for (BigInteger v : values) {
      if (v == null || v.signum() <= 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean isOne(BigInteger v) {
    return v.equals(BigInteger.ONE);
  }
}
