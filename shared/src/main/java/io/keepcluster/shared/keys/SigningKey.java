package io.keepcluster.shared.keys;

import java.security.PrivateKey;
import java.util.Objects;

/** What a signer needs from a keyset. {@link #toString()} never shows the private key. */
public record SigningKey(String kid, String jwsAlgorithm, PrivateKey privateKey, String issuer) {

  public SigningKey {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(jwsAlgorithm, "jwsAlgorithm");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(issuer, "issuer");
  }

  @Override
  public String toString() {
    return "SigningKey[kid=" + kid + ", alg=" + jwsAlgorithm + ", issuer=" + issuer + ", privateKey=(redacted)]";
  }
}
