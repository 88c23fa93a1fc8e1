package io.keepcluster.node.tokens;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Issuers other than the cluster that {@link TokenVerifier} hands tokens to: the external JWT
 * providers. Chosen by the token's {@code iss} in one map lookup, so the cost of a verification
 * does not grow with the number of providers.
 */
public interface ExternalIssuers {

  /** True when {@code iss} names a configured provider (active or not): the token is its alone. */
  boolean owns(String iss);

  /**
   * Verifies a token {@link #owns owned} by a provider. The header already passed
   * {@link TokenChecks#checkHeader}; {@code unverifiedClaims} are the parsed payload, not yet
   * trusted.
   */
  VerifiedToken verify(SignedJWT jwt, JWSHeader header, JWTClaimsSet unverifiedClaims)
      throws TokenRejectedException;

  ExternalIssuers NONE = new ExternalIssuers() {
    @Override
    public boolean owns(String iss) {
      return false;
    }

    @Override
    public VerifiedToken verify(SignedJWT jwt, JWSHeader header, JWTClaimsSet unverifiedClaims)
        throws TokenRejectedException {
      throw new TokenRejectedException(RejectionReason.WRONG_ISSUER, "no external providers");
    }
  };
}
