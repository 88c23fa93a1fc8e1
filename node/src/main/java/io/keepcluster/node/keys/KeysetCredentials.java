package io.keepcluster.node.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import io.keepcluster.shared.keys.BouncyCastle;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.SigningKey;
import io.keepcluster.shared.keys.VerificationKey;
import java.security.cert.CertificateEncodingException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns a loaded {@link Keyset} into the node's two credential types. The verifying side is built
 * from {@link VerificationKey} only, so it never holds a private key.
 *
 * <p>EC signatures go through Bouncy Castle: measured here it verifies ES256 far faster than the
 * JDK's SunEC (see bench/). RSA stays on the JDK's provider, which is the faster of the two.
 * EC signatures leave in low-S form only ({@link EcdsaLowS}): the verifier refuses high-S.
 */
public final class KeysetCredentials {

  private KeysetCredentials() {}

  public static SigningCredential signing(Keyset keyset) {
    SigningKey key = keyset.signingKey();
    JWSAlgorithm algorithm = JWSAlgorithm.parse(key.jwsAlgorithm());
    JWSSigner signer;
    try {
      if (key.privateKey() instanceof ECPrivateKey ec) {
        ECDSASigner ecSigner = new ECDSASigner(ec);
        ecSigner.getJCAContext().setProvider(BouncyCastle.provider());
        signer = new LowSEcdsaSigner(ecSigner);
      } else {
        signer = new RSASSASigner(key.privateKey());
      }
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign with kid=" + key.kid() + ": " + e.getMessage(), e);
    }
    return new SigningCredential(key.kid(), algorithm, signer, key.issuer());
  }

  public static VerifyingCredential verifying(Keyset keyset, Optional<Instant> verifyUntil) {
    VerificationKey key = keyset.verificationKey();
    JWSAlgorithm algorithm = JWSAlgorithm.parse(key.jwsAlgorithm());
    JWSVerifier verifier;
    JWK jwk;
    try {
      if (key.publicKey() instanceof ECPublicKey ec) {
        ECDSAVerifier ecVerifier = new ECDSAVerifier(ec);
        ecVerifier.getJCAContext().setProvider(BouncyCastle.provider());
        verifier = ecVerifier;
        jwk = new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec)
            .keyID(key.kid()).algorithm(algorithm).keyUse(KeyUse.SIGNATURE)
            .x509CertChain(certificateChain(key)).build();
      } else {
        RSAPublicKey rsa = (RSAPublicKey) key.publicKey();
        verifier = new RSASSAVerifier(rsa);
        jwk = new RSAKey.Builder(rsa)
            .keyID(key.kid()).algorithm(algorithm).keyUse(KeyUse.SIGNATURE)
            .x509CertChain(certificateChain(key)).build();
      }
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot verify with kid=" + key.kid() + ": " + e.getMessage(), e);
    }
    return new VerifyingCredential(key.kid(), algorithm, verifier, key.issuer(), KeySource.KEYSET,
        verifyUntil, Optional.of(jwk));
  }

  private static List<Base64> certificateChain(VerificationKey key) {
    if (key.certificate().isEmpty()) {
      return null;
    }
    try {
      // The JDK's encoder (an intrinsic) rather than Nimbus' own: measured, Nimbus' encoding of
      // the certificate was the biggest item of building a credential at start with 1,000 keysets.
      return List.of(new Base64(java.util.Base64.getEncoder().encodeToString(key.certificate().get().getEncoded())));
    } catch (CertificateEncodingException e) {
      return null;
    }
  }
}
