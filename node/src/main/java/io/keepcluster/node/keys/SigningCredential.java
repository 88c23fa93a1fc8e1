package io.keepcluster.node.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;

/**
 * What the token issuer needs to sign: a key id, its one algorithm, a signer and the issuer name
 * that goes with the key (a keyset's DRAPI {@code JwtIssuer}; tokens themselves carry the cluster's
 * issuer, see {@code TokenIssuer}). Never handed to the verification path.
 */
public record SigningCredential(String kid, JWSAlgorithm algorithm, JWSSigner signer, String issuer) {

  @Override
  public String toString() {
    return "SigningCredential[kid=" + kid + ", alg=" + algorithm + ", iss=" + issuer + "]";
  }
}
