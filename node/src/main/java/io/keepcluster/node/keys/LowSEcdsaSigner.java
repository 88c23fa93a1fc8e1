package io.keepcluster.node.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.util.Set;

/**
 * Nimbus' {@link ECDSASigner} with its output put in low-S form. Neither Nimbus nor the JCA
 * providers (SunEC, Bouncy Castle) normalise S, so about half of their signatures are high-S,
 * which {@link io.keepcluster.node.tokens.TokenVerifier} refuses.
 */
final class LowSEcdsaSigner implements JWSSigner {

  private final ECDSASigner delegate;

  LowSEcdsaSigner(ECDSASigner delegate) {
    this.delegate = delegate;
  }

  @Override
  public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
    byte[] signature = delegate.sign(header, signingInput).decode();
    return Base64URL.encode(EcdsaLowS.normalize(header.getAlgorithm(), signature));
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return delegate.supportedJWSAlgorithms();
  }

  @Override
  public JCAContext getJCAContext() {
    return delegate.getJCAContext();
  }
}
