package io.keepcluster.node.tokens;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one spelling of a compact JWS that KeepCluster accepts, checked before any JOSE parsing or
 * cryptography: exactly three parts, each strict and canonical base64url (RFC 7515 section 2: the
 * URL-safe alphabet, no padding, no whitespace, and the unused bits of the last character zero,
 * so that re-encoding the bytes gives back the same text), a header and a payload that are JSON
 * objects, and a {@code crit} that is well formed and names only headers we understand.
 *
 * <p>Lenient decoders (Nimbus' among them) accept {@code =} padding, the {@code +/} alphabet and
 * any trailing bits, so without this check one signed token has many spellings, and a deny-list
 * or cache keyed on the token text could be bypassed.
 */
final class CanonicalCompactForm {

  /** Headers listed in {@code crit} that this verifier understands and enforces: none today. */
  static final Set<String> UNDERSTOOD_CRITICAL_HEADERS = Set.of();

  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  /** The 6-bit value of each base64url character; -1 for any other ASCII character. */
  private static final byte[] VALUES = new byte[128];

  static {
    Arrays.fill(VALUES, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = (byte) i;
    }
  }

  private CanonicalCompactForm() {}

  /**
   * The token's parts, decoded once, if the text is the one spelling of a compact JWS.
   *
   * @param knownHeaders the parsed header of a segment that already passed this check, else null
   *     (its decoding, JSON and {@code crit} are then not redone: they depend on its text alone)
   */
  static Parts check(String token, Function<String, JWSHeader> knownHeaders) throws TokenRejectedException {
    int first = -1;
    int second = -1;
    int dots = 0;
    for (int i = 0; i < token.length(); i++) {
      if (token.charAt(i) == '.') {
        dots++;
        if (first < 0) {
          first = i;
        } else if (second < 0) {
          second = i;
        }
      }
    }
    if (dots == 4) {
      throw new TokenRejectedException(RejectionReason.ENCRYPTED_UNSUPPORTED,
          "encrypted tokens are not accepted here");
    }
    if (dots != 2) {
      throw new TokenRejectedException(RejectionReason.MALFORMED,
          "a compact JWS has exactly three parts");
    }
    String[] parts = {token.substring(0, first), token.substring(first + 1, second), token.substring(second + 1)};
    JWSHeader knownHeader = knownHeaders.apply(parts[0]);
    boolean known = knownHeader != null;
    for (int i = known ? 1 : 0; i < parts.length; i++) {
      requireBase64(parts[i]); // garbage is MALFORMED even when another part is only re-spelled
    }
    byte[] header = known ? null : decode(parts[0], "header");
    byte[] payload = decode(parts[1], "payload");
    byte[] signature = decode(parts[2], "signature");
    Map<String, Object> headerJson = null;
    if (!known) {
      headerJson = jsonObject(header, "header");
      checkCritical(headerJson);
    }
    return new Parts(parts[0], knownHeader, headerJson, jsonObject(payload, "payload"), parts[2], signature,
        second);
  }

  /** {@link #check(String, Function)} with no header known in advance. */
  static Parts check(String token) throws TokenRejectedException {
    return check(token, segment -> null);
  }

  /**
   * A compact JWS in its one spelling, decoded.
   *
   * @param knownHeader the header as the caller knew it; null when it was decoded here
   * @param header the header's JSON; null when the caller knew the segment
   * @param signingInputEnd where the signing input (header and payload segments) ends in the token
   */
  record Parts(String headerSegment, JWSHeader knownHeader, Map<String, Object> header, Map<String, Object> payload,
      String signatureSegment, byte[] signature, int signingInputEnd) {}

  /**
   * MALFORMED unless {@code part} is base64 in some spelling that a lenient decoder would read:
   * no other characters, and not a length of 4k+1 once padding and whitespace are left out.
   */
  static void requireBase64(String part) throws TokenRejectedException {
    int significant = 0;
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (isBase64Url(c) || c == '+' || c == '/') {
        significant++;
      } else if (!isRespelling(c)) {
        throw new TokenRejectedException(RejectionReason.MALFORMED, "a part is not base64url");
      }
    }
    if (significant % 4 == 1) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "a part is not base64url");
    }
  }

  /**
   * Strict, canonical base64url (the part already passed {@link #requireBase64}): another
   * spelling of some bytes (padding, {@code +/}, whitespace, non-zero trailing bits) is
   * NON_CANONICAL.
   */
  static byte[] decode(String part, String name) throws TokenRejectedException {
    for (int i = 0; i < part.length(); i++) {
      if (!isBase64Url(part.charAt(i))) {
        throw new TokenRejectedException(RejectionReason.NON_CANONICAL,
            "the " + name + " is not canonical base64url (padding, +/ or whitespace)");
      }
    }
    // Re-encoding the bytes gives back the text exactly when the bits the last character carries
    // beyond the data are zero: 4 of its 6 bits when 2 characters end the part, 2 when 3 do
    // (a remainder of 1 was refused above). Checked directly, without encoding again.
    int rest = part.length() % 4;
    if (rest != 0) {
      int unused = rest == 2 ? 0x0F : 0x03;
      if ((VALUES[part.charAt(part.length() - 1)] & unused) != 0) {
        throw new TokenRejectedException(RejectionReason.NON_CANONICAL,
            "the " + name + " is not canonical base64url (non-zero trailing bits)");
      }
    }
    return DECODER.decode(part);
  }

  private static boolean isRespelling(char c) {
    return c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isBase64Url(char c) {
    return c < 128 && VALUES[c] >= 0;
  }

  static Map<String, Object> jsonObject(byte[] bytes, String name) throws TokenRejectedException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "the " + name + " is not UTF-8");
    }
    try {
      return JSONObjectUtils.parse(text);
    } catch (ParseException e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "the " + name + " is not a JSON object");
    }
  }

  /**
   * RFC 7515 section 4.1.11: {@code crit} is a non-empty array of header names (the empty list
   * is forbidden) and a recipient must refuse a token naming a header it does not understand.
   */
  static void checkCritical(Map<String, Object> header) throws TokenRejectedException {
    if (!header.containsKey("crit")) {
      return;
    }
    if (!(header.get("crit") instanceof List<?> names) || names.isEmpty()) {
      throw new TokenRejectedException(RejectionReason.MALFORMED,
          "crit must be a non-empty array of header names");
    }
    for (Object name : names) {
      if (!(name instanceof String)) {
        throw new TokenRejectedException(RejectionReason.MALFORMED,
            "crit must be a non-empty array of header names");
      }
      if (!UNDERSTOOD_CRITICAL_HEADERS.contains(name)) {
        throw new TokenRejectedException(RejectionReason.UNKNOWN_CRITICAL_HEADER,
            "unsupported critical header");
      }
    }
  }

}
