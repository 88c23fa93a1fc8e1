package io.keepcluster.node.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import io.keepcluster.shared.keys.Keyset;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Optional;

/**
 * A keyset's private key as a JWE recipient key: one kid, pinned to the one key-management
 * algorithm its key type allows (RSA-OAEP-256 for RSA keysets, ECDH-ES+A256KW for EC keysets).
 * Used only by the decryption step in front of the verifier, never by signature verification.
 *
 * <p>A new Nimbus decrypter is made for every token: {@link RSADecrypter} keeps per-call state
 * (the RSA1_5 CEK exception), so sharing one between event loops would not be safe, and making
 * one is cheap next to the private-key operation itself.
 */
public final class DecryptionKey {

  private final String kid;
  private final JWEAlgorithm algorithm;
  private final PrivateKey privateKey;

  private DecryptionKey(String kid, JWEAlgorithm algorithm, PrivateKey privateKey) {
    this.kid = kid;
    this.algorithm = algorithm;
    this.privateKey = privateKey;
  }

  /** The recipient key of a keyset, or empty when its key type has no JWE algorithm here. */
  public static Optional<DecryptionKey> of(Keyset keyset) {
    PrivateKey key = keyset.signingKey().privateKey();
    if (key instanceof RSAPrivateKey) {
      return Optional.of(new DecryptionKey(keyset.kid(), JWEAlgorithm.RSA_OAEP_256, key));
    }
    if (key instanceof ECPrivateKey) {
      return Optional.of(new DecryptionKey(keyset.kid(), JWEAlgorithm.ECDH_ES_A256KW, key));
    }
    return Optional.empty();
  }

  public String kid() {
    return kid;
  }

  /** The one key-management algorithm this key accepts. */
  public JWEAlgorithm algorithm() {
    return algorithm;
  }

  /** A fresh decrypter for one token. */
  public JWEDecrypter decrypter() throws JOSEException {
    return privateKey instanceof ECPrivateKey ec ? new ECDHDecrypter(ec) : new RSADecrypter(privateKey);
  }

  @Override
  public String toString() {
    return "DecryptionKey[kid=" + kid + ", alg=" + algorithm + "]";
  }
}
