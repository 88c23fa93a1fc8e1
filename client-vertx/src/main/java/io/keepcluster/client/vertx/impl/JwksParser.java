package io.keepcluster.client.vertx.impl;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns a JWKS document into verification keys. A document that is not a JSON object with a
 * {@code keys} array is refused whole ({@link InvalidJwksException}: the caller keeps its last good
 * keys). Inside a valid document, a key this client cannot use (another {@code kty}, no {@code kid}
 * or {@code alg}, an algorithm outside the allow-list, {@code use} other than {@code sig}, private
 * material, RSA under 2048 bits, a curve that is not the algorithm's) is skipped and logged, so a
 * cluster publishing something new does not take every other key down. A kid published twice is
 * refused whole: which of the two keys is meant cannot be decided.
 */
public final class JwksParser {

  /** The algorithms KeepCluster signs with; anything else never verifies here. */
  public static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

  private static final Logger LOG = System.getLogger(JwksParser.class.getName());
  private static final int MIN_RSA_BITS = 2048;

  private JwksParser() {
  }

  /** Keys by kid, in document order. */
  public static Map<String, VerificationKey> parse(String document) throws InvalidJwksException {
    JsonArray keys;
    try {
      JsonObject root = new JsonObject(document);
      Object value = root.getValue("keys");
      if (!(value instanceof JsonArray array)) {
        throw new InvalidJwksException("no \"keys\" array");
      }
      keys = array;
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidJwksException("not a JSON object");
    }
    Map<String, VerificationKey> byKid = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      Object entry = keys.getValue(i);
      if (!(entry instanceof JsonObject json)) {
        throw new InvalidJwksException("keys[" + i + "] is not a JSON object");
      }
      String kid = json.getValue("kid") instanceof String s ? s : null;
      if (kid != null && byKid.containsKey(kid)) {
        throw new InvalidJwksException("kid " + kid + " is published twice");
      }
      try {
        VerificationKey key = toKey(json);
        byKid.put(key.kid(), key);
      } catch (UnusableKeyException e) {
        LOG.log(Level.WARNING, "event=jwks_key_skipped index={0} kid={1} reason=\"{2}\"", i, kid,
            e.getMessage());
      }
    }
    return byKid;
  }

  private static VerificationKey toKey(JsonObject json) throws UnusableKeyException {
    JWK jwk;
    try {
      jwk = JWK.parse(json.encode());
    } catch (ParseException | RuntimeException e) {
      throw new UnusableKeyException("not a JWK this client reads: " + e.getMessage());
    }
    String kid = jwk.getKeyID();
    if (kid == null || kid.isBlank()) {
      throw new UnusableKeyException("no kid");
    }
    if (jwk.isPrivate()) {
      throw new UnusableKeyException("private key material in a public JWKS");
    }
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      throw new UnusableKeyException("use is " + jwk.getKeyUse().identifier() + ", not sig");
    }
    if (jwk.getAlgorithm() == null) {
      throw new UnusableKeyException("no alg: the key's one algorithm must be published");
    }
    JWSAlgorithm alg = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
    if (!ALLOWED.contains(alg)) {
      throw new UnusableKeyException("alg " + alg + " is not one of " + ALLOWED);
    }
    return new VerificationKey(kid, alg, verifier(jwk, alg));
  }

  private static JWSVerifier verifier(JWK jwk, JWSAlgorithm alg) throws UnusableKeyException {
    try {
      if (JWSAlgorithm.Family.RSA.contains(alg)) {
        if (!(jwk instanceof RSAKey rsa)) {
          throw new UnusableKeyException("alg " + alg + " needs an RSA key, got kty " + jwk.getKeyType());
        }
        if (rsa.size() < MIN_RSA_BITS) {
          throw new UnusableKeyException("RSA key of " + rsa.size() + " bits, under " + MIN_RSA_BITS);
        }
        return new RSASSAVerifier(rsa);
      }
      if (!(jwk instanceof ECKey ec)) {
        throw new UnusableKeyException("alg " + alg + " needs an EC key, got kty " + jwk.getKeyType());
      }
      Set<Curve> curves = Curve.forJWSAlgorithm(alg);
      if (curves == null || !curves.contains(ec.getCurve())) {
        throw new UnusableKeyException("curve " + ec.getCurve() + " does not go with alg " + alg);
      }
      return new ECDSAVerifier(ec);
    } catch (JOSEException e) {
      throw new UnusableKeyException("key rejected by the verifier: " + e.getMessage());
    }
  }

  /** The whole document is unusable. */
  public static final class InvalidJwksException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidJwksException(String problem) {
      super(problem, null, false, false);
    }
  }

  private static final class UnusableKeyException extends Exception {

    private static final long serialVersionUID = 1L;

    UnusableKeyException(String problem) {
      super(problem, null, false, false);
    }
  }
}
