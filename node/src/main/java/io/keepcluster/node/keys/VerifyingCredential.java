package io.keepcluster.node.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import java.time.Instant;
import java.util.Optional;

/**
 * One key that may verify tokens: pinned to exactly one algorithm and one issuer (a keyset's DRAPI
 * {@code JwtIssuer}, a provider's {@code iss}; the cluster's own keys also accept the cluster
 * issuer, see {@code TokenVerifier}). Holds only a verifier (for HS256 the verifier wraps the
 * shared secret, which never leaves this node).
 *
 * @param verifyUntil when set, the key is retiring: it verifies tokens until this instant only
 * @param publicJwk the public key as published in the JWKS; empty for secret keys
 */
public record VerifyingCredential(
    String kid, JWSAlgorithm algorithm, JWSVerifier verifier, String issuer, KeySource source,
    Optional<Instant> verifyUntil, Optional<JWK> publicJwk) {

  public VerifyingCredential {
    if (publicJwk.isPresent() && publicJwk.get().isPrivate()) {
      throw new IllegalArgumentException("a verifying credential never carries a private key");
    }
  }

  @Override
  public String toString() {
    return "VerifyingCredential[kid=" + kid + ", alg=" + algorithm + ", source=" + source.label() + "]";
  }
}
