package io.keepcluster.node.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * DRAPI's default key: a random HS256 secret made at each start and kept only in memory, so its
 * tokens work on this node only and die with the process.
 */
public final class EphemeralKey {

  private static final int SECRET_BYTES = 32;

  private final SigningCredential signing;
  private final VerifyingCredential verifying;

  private EphemeralKey(String kid, byte[] secret, String issuer) throws JOSEException {
    this.signing = new SigningCredential(kid, JWSAlgorithm.HS256, new MACSigner(secret), issuer);
    this.verifying = new VerifyingCredential(kid, JWSAlgorithm.HS256, new MACVerifier(secret),
        issuer, KeySource.EPHEMERAL, Optional.empty(), Optional.empty());
  }

  public static EphemeralKey create(String nodeId, String issuer, SecureRandom random) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    try {
      return new EphemeralKey("ephemeral-" + nodeId, secret, issuer);
    } catch (JOSEException e) {
      throw new IllegalStateException("HS256 with a 256-bit secret must be supported", e);
    }
    // The secret is not zeroed here: Nimbus' MAC signer and verifier keep a reference to it.
  }

  public String kid() {
    return signing.kid();
  }

  public SigningCredential signing() {
    return signing;
  }

  public VerifyingCredential verifying() {
    return verifying;
  }
}
