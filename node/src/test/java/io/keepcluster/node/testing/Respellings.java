package io.keepcluster.node.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import io.keepcluster.node.keys.EcdsaLowS;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Other spellings of one signed token: the same bytes (or, for high-S, an equally valid ECDSA
 * signature) written differently. A lenient verifier accepts every one of them.
 */
public final class Respellings {

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Respellings() {}

  /** The signature with {@code =} padding (its length must not be a multiple of 4). */
  public static String paddedSignature(String token) {
    String signature = Jwts.signature(token);
    int missing = (4 - signature.length() % 4) % 4;
    if (missing == 0) {
      throw new IllegalArgumentException("this signature needs no padding");
    }
    return withSignature(token, signature + "=".repeat(missing));
  }

  /** True when the signature has a {@code -} or {@code _}, so the +/ alphabet spells it differently. */
  public static boolean hasUrlSafeCharacters(String token) {
    String signature = Jwts.signature(token);
    return signature.indexOf('-') >= 0 || signature.indexOf('_') >= 0;
  }

  /** The signature in the standard alphabet ({@code +/} instead of {@code -_}). */
  public static String standardAlphabetSignature(String token) {
    if (!hasUrlSafeCharacters(token)) {
      throw new IllegalArgumentException("this signature reads the same in both alphabets");
    }
    return withSignature(token, Jwts.signature(token).replace('-', '+').replace('_', '/'));
  }

  /**
   * The last character of the signature with its lowest unused bit set: it decodes to the same
   * bytes (its length must not be a multiple of 4, so there are unused bits).
   */
  public static String alteredLastCharacter(String token) {
    return withSignature(token, flipUnusedBit(Jwts.signature(token)));
  }

  /** {@code part} (base64url, length not a multiple of 4) with one unused trailing bit set. */
  public static String flipUnusedBit(String part) {
    if (part.length() % 4 == 0) {
      throw new IllegalArgumentException("this part has no unused trailing bits");
    }
    int value = ALPHABET.indexOf(part.charAt(part.length() - 1));
    return part.substring(0, part.length() - 1) + ALPHABET.charAt(value ^ 1);
  }

  /** The other valid ECDSA signature of the same input: S replaced by n - S. */
  public static String highS(String token, JWSAlgorithm algorithm) {
    byte[] signature = Base64.getUrlDecoder().decode(Jwts.signature(token));
    return withSignature(token, ENCODER.encodeToString(EcdsaLowS.flipS(algorithm, signature)));
  }

  /** The token's payload under {@code header}, signed (for real) by {@code signer}. */
  public static String signedWithHeader(String token, JsonObject header, JWSSigner signer) {
    String input = Jwts.encode(header) + "." + token.split("\\.", -1)[1];
    try {
      JWSAlgorithm algorithm = JWSAlgorithm.parse(header.getString("alg"));
      byte[] signature = signer.sign(new JWSHeader(algorithm), input.getBytes(StandardCharsets.US_ASCII)).decode();
      return input + "." + ENCODER.encodeToString(EcdsaLowS.normalize(algorithm, signature));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String withSignature(String token, String signature) {
    return token.substring(0, token.lastIndexOf('.') + 1) + signature;
  }
}
