package io.keepcluster.client.vertx;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Test keys (generated here, never stored) and tokens signed with Nimbus, like a node signs. */
final class Tokens {

  private Tokens() {
  }

  static RSAKey rsa(String kid, JWSAlgorithm alg) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).algorithm(alg).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(String kid, Curve curve, JWSAlgorithm alg) {
    try {
      return new ECKeyGenerator(curve).keyID(kid).algorithm(alg).keyUse(KeyUse.SIGNATURE).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Claims as a KeepCluster node issues them, valid for 15 minutes from {@code now}. */
  static JWTClaimsSet.Builder claims(Instant now) {
    return new JWTClaimsSet.Builder()
        .issuer(FakeCluster.ISSUER)
        .subject("CN=Alice/O=Acme")
        .audience("Domino")
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(15))))
        .claim("CN", "CN=Alice/O=Acme")
        .claim("scope", "MAIL $DATA")
        .claim("email", "alice@acme.test")
        .jwtID(UUID.randomUUID().toString());
  }

  /** Signed with the key's own alg and kid. */
  static String sign(JWK key, JWTClaimsSet claims) {
    return sign(key, JWSAlgorithm.parse(key.getAlgorithm().getName()), claims, h -> h);
  }

  static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims,
      UnaryOperator<JWSHeader.Builder> header) {
    try {
      JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
      return signWith(signer, header.apply(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT)
          .keyID(key.getKeyID())).build(), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HS256 with the RSA public key's encoded bytes as the HMAC secret: the classic confusion attack. */
  static String hs256WithPublicKeyAsSecret(RSAKey key, JWTClaimsSet claims) {
    try {
      byte[] secret = key.toRSAPublicKey().getEncoded();
      return signWith(new MACSigner(secret), new JWSHeader.Builder(JWSAlgorithm.HS256)
          .type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code alg: none}, with the kid of a published key. */
  static String unsigned(String kid, JWTClaimsSet claims) {
    String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}").toString();
    String payload = Base64URL.encode(claims.toString()).toString();
    return header + "." + payload + ".";
  }

  private static String signWith(JWSSigner signer, JWSHeader header, JWTClaimsSet claims)
      throws JOSEException {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(signer);
    return jwt.serialize();
  }
}
