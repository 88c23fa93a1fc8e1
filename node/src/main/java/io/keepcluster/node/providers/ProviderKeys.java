package io.keepcluster.node.providers;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.keepcluster.node.keys.KeySource;
import io.keepcluster.node.keys.VerifyingCredential;
import io.keepcluster.shared.keys.BouncyCastle;
import io.keepcluster.shared.keys.EcCurve;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a provider's public keys into {@link VerifyingCredential}s, each pinned to ONE algorithm
 * from the provider's allow-list and to the provider's issuer. RSA keys must have at least 2048
 * bits, EC keys must be on P-256/384/521 with the matching ES algorithm; symmetric keys, private
 * keys and encryption keys never become verifiers.
 */
public final class ProviderKeys {

  static final int MIN_RSA_BITS = 2048;

  private ProviderKeys() {}

  /** A key the provider published (or the operator configured) that cannot verify here. */
  public static final class UnusableKeyException extends Exception {

    private static final long serialVersionUID = 1L;

    UnusableKeyException(String message) {
      super(message, null, false, false);
    }
  }

  /** A JWKS document that must not replace the keys in use; the message says why. */
  public static final class InvalidJwksException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidJwksException(String message) {
      super(message, null, false, false);
    }
  }

  /** Refuses a key that does not fit {@code algorithm} or is too weak. */
  static void check(PublicKey key, JWSAlgorithm algorithm) throws UnusableKeyException {
    if (key instanceof RSAPublicKey rsa) {
      if (!JWSAlgorithm.Family.RSA.contains(algorithm)) {
        throw new UnusableKeyException("an RSA key cannot verify " + algorithm);
      }
      int bits = rsa.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new UnusableKeyException("RSA key of " + bits + " bits is too small; at least "
            + MIN_RSA_BITS + " required");
      }
      return;
    }
    if (key instanceof ECPublicKey ec) {
      Optional<EcCurve> curve = EcCurve.of(ec.getParams());
      if (curve.isEmpty()) {
        throw new UnusableKeyException("EC curve is not P-256, P-384 or P-521");
      }
      if (!curve.get().jwsAlgorithm().equals(algorithm.getName())) {
        throw new UnusableKeyException("an EC key on " + curve.get().joseName() + " verifies "
            + curve.get().jwsAlgorithm() + ", not " + algorithm);
      }
      return;
    }
    throw new UnusableKeyException("key type " + key.getAlgorithm() + " is not RSA or EC");
  }

  /** A verifier for a checked key, pinned to {@code algorithm} and the provider's issuer. */
  static VerifyingCredential credential(ProviderConfig provider, String kid, PublicKey key,
      JWSAlgorithm algorithm) throws UnusableKeyException {
    check(key, algorithm);
    if (!provider.allowed().contains(algorithm)) {
      throw new UnusableKeyException(algorithm + " is not in the provider's algorithm list");
    }
    JWSVerifier verifier;
    try {
      if (key instanceof ECPublicKey ec) {
        ECDSAVerifier ecVerifier = new ECDSAVerifier(ec);
        ecVerifier.getJCAContext().setProvider(BouncyCastle.provider());
        verifier = ecVerifier;
      } else {
        verifier = new RSASSAVerifier((RSAPublicKey) key);
      }
    } catch (JOSEException e) {
      throw new UnusableKeyException("cannot verify with this key: " + e.getMessage());
    }
    return new VerifyingCredential(kid, algorithm, verifier, provider.issuer(), KeySource.PROVIDER,
        Optional.empty(), Optional.empty());
  }

  /**
   * The usable signing keys of a JWKS, by kid. Keys that cannot verify here (no kid, {@code
   * "use":"enc"}, symmetric, too weak, an algorithm outside the allow-list) are skipped; a document
   * that is not a JWKS, repeats a kid, or leaves no usable key is refused whole, so it never
   * replaces keys that work.
   */
  static Map<String, VerifyingCredential> fromJwks(ProviderConfig provider, String json)
      throws InvalidJwksException {
    JWKSet set;
    try {
      set = JWKSet.parse(json);
    } catch (ParseException e) {
      throw new InvalidJwksException("not a JWKS: " + e.getMessage());
    }
    Map<String, VerifyingCredential> keys = new LinkedHashMap<>();
    for (JWK jwk : set.getKeys()) {
      if (jwk.getKeyID() == null || jwk.isPrivate() || KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
        continue;
      }
      try {
        PublicKey key = publicKey(jwk);
        VerifyingCredential credential = credential(provider, jwk.getKeyID(), key,
            algorithm(provider, jwk, key));
        if (keys.putIfAbsent(jwk.getKeyID(), credential) != null) {
          throw new InvalidJwksException("kid " + jwk.getKeyID() + " appears twice");
        }
      } catch (UnusableKeyException e) {
        // One unusable key (an HMAC key, an algorithm we do not allow) costs only that key.
      }
    }
    if (keys.isEmpty()) {
      throw new InvalidJwksException("no usable signing key (RSA >= 2048 bits or EC P-256/384/521"
          + " with an allowed algorithm)");
    }
    return keys;
  }

  private static PublicKey publicKey(JWK jwk) throws UnusableKeyException {
    try {
      if (jwk instanceof RSAKey rsa) {
        return rsa.toRSAPublicKey();
      }
      if (jwk instanceof ECKey ec) {
        return ec.toECPublicKey();
      }
    } catch (JOSEException e) {
      throw new UnusableKeyException("key " + jwk.getKeyID() + " cannot be read: " + e.getMessage());
    }
    throw new UnusableKeyException("key type " + jwk.getKeyType() + " is not RSA or EC");
  }

  /**
   * The key's {@code alg} when it has one; else, for EC, the curve's; for RSA, the first RSA
   * algorithm of the allow-list (Entra ID publishes its keys without {@code alg}).
   */
  private static JWSAlgorithm algorithm(ProviderConfig provider, JWK jwk, PublicKey key)
      throws UnusableKeyException {
    if (jwk.getAlgorithm() != null) {
      return JWSAlgorithm.parse(jwk.getAlgorithm().getName());
    }
    if (key instanceof ECPublicKey ec) {
      return EcCurve.of(ec.getParams()).map(c -> JWSAlgorithm.parse(c.jwsAlgorithm()))
          .orElseThrow(() -> new UnusableKeyException("EC curve is not P-256, P-384 or P-521"));
    }
    return provider.algorithms().stream().filter(JWSAlgorithm.Family.RSA::contains).findFirst()
        .orElseThrow(() -> new UnusableKeyException("no RSA algorithm in the allow-list"));
  }
}
