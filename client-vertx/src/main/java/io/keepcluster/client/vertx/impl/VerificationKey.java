package io.keepcluster.client.vertx.impl;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import java.util.Objects;

/**
 * One published public key: its kid, the one algorithm it verifies, and a verifier built once.
 * Immutable; holds no private material (the parser refuses private JWKs).
 */
public record VerificationKey(String kid, JWSAlgorithm algorithm, JWSVerifier verifier) {

  public VerificationKey {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(verifier, "verifier");
  }

  @Override
  public String toString() {
    return "VerificationKey[kid=" + kid + ", alg=" + algorithm + "]";
  }
}
