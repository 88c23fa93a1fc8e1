package io.keepcluster.shared.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.Optional;
import java.util.Set;

/** The rules a key must pass to be used for JWTs, and the JWS algorithm that fits it. */
final class KeyPolicy {

  static final int MIN_RSA_BITS = 2048;
  private static final Set<String> RSA_JWS = SigningAlgorithms.RSA;
  private static final String MISMATCH_REASON = "private key does not match the public key";
  private static final byte[] PROBE = "keepcluster key pair probe".getBytes(StandardCharsets.US_ASCII);

  private KeyPolicy() {
  }

  /** "RSA" or "EC" after checking strength: RSA >= 2048 bits, EC on P-256/P-384/P-521. */
  static String checkStrength(Key key) throws KeysetLoadException {
    if (key instanceof RSAKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new KeysetLoadException("RSA key of " + bits + " bits is too small; at least " + MIN_RSA_BITS + " required");
      }
      return "RSA";
    }
    if (key instanceof ECKey ec) {
      if (EcCurve.of(ec.getParams()).isEmpty()) {
        throw new KeysetLoadException("EC curve " + EcCurve.describe(ec.getParams())
            + " is not allowed; use P-256, P-384 or P-521");
      }
      return "EC";
    }
    throw new KeysetLoadException("key algorithm " + key.getAlgorithm() + " is not supported; use RSA or EC");
  }

  /** The JWS algorithm a key signs with when the descriptor does not ask for one. */
  static String defaultJws(PublicKey key) {
    if (key instanceof ECKey ec) {
      return EcCurve.of(ec.getParams()).map(EcCurve::jwsAlgorithm).orElseThrow();
    }
    return "RS256";
  }

  /**
   * The descriptor's requested algorithm if it fits the key, else the default. A request that
   * does not fit is refused rather than silently replaced: signing with another algorithm
   * than the operator configured would surprise every verifier.
   */
  static String chooseJws(PublicKey key, Optional<String> requested) throws KeysetLoadException {
    String fallback = defaultJws(key);
    if (requested.isEmpty()) {
      return fallback;
    }
    String alg = requested.get().trim();
    boolean fits = key instanceof RSAKey ? RSA_JWS.contains(alg) : alg.equals(fallback);
    if (!fits) {
      String allowed = key instanceof RSAKey ? "RS256, RS384, RS512, PS256, PS384 or PS512" : fallback;
      throw new KeysetLoadException("JwsAlgorithm " + alg + " does not fit this " + key.getAlgorithm()
          + " key; use " + allowed);
    }
    return alg;
  }

  /**
   * Proves the private key belongs to the public key: by arithmetic on the key values
   * ({@link KeyPairMatch}) where the key form allows it, else by signing and verifying a probe.
   */
  static void checkPair(PrivateKey privateKey, PublicKey publicKey) throws KeysetLoadException {
    String family = familyOf(publicKey);
    if (!family.equals(familyOf(privateKey))) {
      throw new KeysetLoadException("private key (" + familyOf(privateKey) + ") and public key (" + family
          + ") are of different algorithms");
    }
    switch (KeyPairMatch.check(privateKey, publicKey)) {
      case MATCH -> {
        return;
      }
      case MISMATCH -> throw new KeysetLoadException(MISMATCH_REASON);
      case UNDECIDED -> probe(family, privateKey, publicKey);
    }
  }

  private static void probe(String family, PrivateKey privateKey, PublicKey publicKey) throws KeysetLoadException {
    String algorithm = family.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    try {
      Signature signer = signature(algorithm);
      signer.initSign(privateKey, new SecureRandom());
      signer.update(PROBE);
      byte[] sig = signer.sign();
      Signature verifier = signature(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      if (verifier.verify(sig)) {
        return;
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeysetLoadException("cannot check that the private key matches the public key: "
          + e.getClass().getSimpleName());
    }
    throw new KeysetLoadException(MISMATCH_REASON);
  }

  static String familyOf(Key key) {
    if (key instanceof RSAKey) {
      return "RSA";
    }
    if (key instanceof ECKey) {
      return "EC";
    }
    return key.getAlgorithm();
  }

  // No provider named: JCA's delayed selection picks the first provider (JDK first, Bouncy
  // Castle last) that accepts the key at init time.
  private static Signature signature(String algorithm) throws GeneralSecurityException {
    BouncyCastle.provider();
    return Signature.getInstance(algorithm);
  }
}
