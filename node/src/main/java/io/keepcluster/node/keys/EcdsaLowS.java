package io.keepcluster.node.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The one spelling of an ECDSA signature. For every valid signature (R, S) the pair (R, n - S) is
 * valid too, so a verifier that accepts both lets anyone re-spell a token without the key.
 * KeepCluster signs only low-S (S at most n/2) and refuses high-S on verification.
 *
 * <p>Signatures are JWS's fixed-size R||S (RFC 7518 section 3.4), not DER.
 */
public final class EcdsaLowS {

  private static final Map<JWSAlgorithm, BigInteger> ORDERS = Map.of(
      JWSAlgorithm.ES256, Curve.P_256.toECParameterSpec().getOrder(),
      JWSAlgorithm.ES384, Curve.P_384.toECParameterSpec().getOrder(),
      JWSAlgorithm.ES512, Curve.P_521.toECParameterSpec().getOrder());

  private EcdsaLowS() {}

  /** The curve order n for ES256/384/512; empty for every other algorithm. */
  public static Optional<BigInteger> order(JWSAlgorithm algorithm) {
    return Optional.ofNullable(ORDERS.get(algorithm));
  }

  /**
   * True when {@code signature} is an R||S signature of {@code algorithm}'s size whose S is above
   * n/2. Anything else (another algorithm, a wrong length) is not this check's business: the
   * signature verification refuses it.
   */
  public static boolean isHighS(JWSAlgorithm algorithm, byte[] signature) {
    Optional<BigInteger> order = order(algorithm);
    if (order.isEmpty() || signature.length != 2 * fieldBytes(order.get())) {
      return false;
    }
    return s(signature).compareTo(order.get().shiftRight(1)) > 0;
  }

  /** The low-S spelling of {@code signature}: S replaced by n - S when S is above n/2. */
  public static byte[] normalize(JWSAlgorithm algorithm, byte[] signature) {
    if (!isHighS(algorithm, signature)) {
      return signature;
    }
    return withS(signature, order(algorithm).get().subtract(s(signature)));
  }

  /** The same R with S replaced by n - S: the other valid spelling (used by tests to forge one). */
  public static byte[] flipS(JWSAlgorithm algorithm, byte[] signature) {
    BigInteger n = order(algorithm).orElseThrow(
        () -> new IllegalArgumentException(algorithm + " is not an ECDSA algorithm"));
    return withS(signature, n.subtract(s(signature)));
  }

  private static int fieldBytes(BigInteger order) {
    return (order.bitLength() + 7) / 8;
  }

  private static BigInteger s(byte[] signature) {
    return new BigInteger(1, Arrays.copyOfRange(signature, signature.length / 2, signature.length));
  }

  private static byte[] withS(byte[] signature, BigInteger s) {
    int half = signature.length / 2;
    byte[] out = Arrays.copyOf(signature, signature.length);
    byte[] magnitude = s.toByteArray();
    int skip = magnitude.length > half ? magnitude.length - half : 0; // a leading sign byte
    Arrays.fill(out, half, out.length, (byte) 0);
    System.arraycopy(magnitude, skip, out, out.length - (magnitude.length - skip), magnitude.length - skip);
    return out;
  }
}
