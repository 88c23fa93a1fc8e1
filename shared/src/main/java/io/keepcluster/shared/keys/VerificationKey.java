package io.keepcluster.shared.keys;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verifier needs from a keyset: the public half only. A separate type from
 * {@link SigningKey}, so the verify path cannot reach a private key.
 */
public record VerificationKey(String kid, String jwsAlgorithm, PublicKey publicKey,
               Optional<X509Certificate> certificate, String issuer) {

  public VerificationKey {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(jwsAlgorithm, "jwsAlgorithm");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(issuer, "issuer");
  }

  @Override
  public String toString() {
    return "VerificationKey[kid=" + kid + ", alg=" + jwsAlgorithm + ", issuer=" + issuer
        + ", certificate=" + (certificate.isPresent() ? "present" : "absent") + "]";
  }
}
