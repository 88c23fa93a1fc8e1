package io.keepcluster.node.tokens;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.keys.VerifyingCredential;

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

  /**
   * What vouches right now for tokens of {@code iss} signed by {@code kid}: the provider's policy
   * and its current key. Two equal vouchers lead to the same decision, so the verified-token cache
   * may reuse a result only while the voucher is equal to the one that verified it. Null when no
   * active provider or no key answers (then nothing is reused).
   */
  default Voucher voucher(String iss, String kid) {
    return null;
  }

  /**
   * @param policy the provider's settings (compared with {@code equals})
   * @param key the provider's current key for the kid (a record whose verifier compares by identity)
   */
  record Voucher(Object policy, VerifyingCredential key) {}

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
