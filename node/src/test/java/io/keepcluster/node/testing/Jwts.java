package io.keepcluster.node.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Consumer;

/** Takes tokens apart and puts them back together the way an attacker would. */
public final class Jwts {

  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Jwts() {}

  public static JsonObject header(String token) {
    return part(token, 0);
  }

  public static JsonObject payload(String token) {
    return part(token, 1);
  }

  public static String signature(String token) {
    return token.split("\\.", -1)[2];
  }

  private static JsonObject part(String token, int index) {
    return new JsonObject(new String(DECODER.decode(token.split("\\.", -1)[index]), StandardCharsets.UTF_8));
  }

  public static String encode(JsonObject json) {
    return ENCODER.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  public static String assemble(JsonObject header, JsonObject payload, String signature) {
    return encode(header) + "." + encode(payload) + "." + signature;
  }

  /** The token with its header edited and its original signature kept. */
  public static String withHeader(String token, Consumer<JsonObject> edit) {
    JsonObject header = header(token);
    edit.accept(header);
    return assemble(header, payload(token), signature(token));
  }

  /** The token with its payload edited and its original signature kept. */
  public static String withPayload(String token, Consumer<JsonObject> edit) {
    JsonObject payload = payload(token);
    edit.accept(payload);
    return assemble(header(token), payload, signature(token));
  }

  /** The same header and claims, signed HS256 with a secret the node has never seen. */
  public static String resignedWithRandomSecret(String token) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    try {
      SignedJWT original = SignedJWT.parse(token);
      SignedJWT forged = new SignedJWT(original.getHeader(), original.getJWTClaimsSet());
      forged.sign(new MACSigner(secret));
      return forged.serialize();
    } catch (java.text.ParseException | JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String signHs256(byte[] secret, JWSHeader header, JWTClaimsSet claims) {
    if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
      throw new IllegalArgumentException("header must say HS256");
    }
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
