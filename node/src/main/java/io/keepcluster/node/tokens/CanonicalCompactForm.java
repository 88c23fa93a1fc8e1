package io.keepcluster.node.tokens;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private CanonicalCompactForm() {}

  static void check(String token) throws TokenRejectedException {
    int dots = count(token, '.');
    if (dots == 4) {
      throw new TokenRejectedException(RejectionReason.ENCRYPTED_UNSUPPORTED,
          "encrypted tokens are not accepted here");
    }
    if (dots != 2) {
      throw new TokenRejectedException(RejectionReason.MALFORMED,
          "a compact JWS has exactly three parts");
    }
    int first = token.indexOf('.');
    int second = token.indexOf('.', first + 1);
    String[] parts = {token.substring(0, first), token.substring(first + 1, second), token.substring(second + 1)};
    for (String part : parts) {
      requireBase64(part); // garbage is MALFORMED even when another part is only re-spelled
    }
    byte[] header = decode(parts[0], "header");
    byte[] payload = decode(parts[1], "payload");
    decode(parts[2], "signature");
    checkCritical(jsonObject(header, "header"));
    jsonObject(payload, "payload");
  }

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
    byte[] bytes = DECODER.decode(part);
    if (!ENCODER.encodeToString(bytes).equals(part)) {
      throw new TokenRejectedException(RejectionReason.NON_CANONICAL,
          "the " + name + " is not canonical base64url (non-zero trailing bits)");
    }
    return bytes;
  }

  private static boolean isRespelling(char c) {
    return c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isBase64Url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
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

  private static int count(String text, char c) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }
}
