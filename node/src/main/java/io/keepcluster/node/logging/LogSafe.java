package io.keepcluster.node.logging;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes caller-supplied text safe to put in a key=value log line: no line breaks, no quotes, a
 * bounded length. Only for identifiers such as user names, never for secrets.
 *
 * <p>A name that matches no account is not an identifier but whatever someone typed, often a
 * password typed into the wrong field: {@link #unknownName} logs it only as a keyed fingerprint.
 */
public final class LogSafe {

  private static final int MAX = 80;
  private static final String MAC = "HmacSHA256";

  /**
   * Key of the fingerprints: random per process, never written anywhere, so a fingerprint cannot
   * be reversed by hashing guesses (a plain or publicly salted hash of a short password could).
   * The same text gives the same fingerprint for the life of the process, so repeated attempts
   * with one mistyped name can still be correlated in one node's log.
   */
  private static final SecretKeySpec FINGERPRINT_KEY = randomKey();

  private LogSafe() {}

  public static String value(String text) {
    if (text == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX));
    for (int i = 0; i < text.length() && out.length() < MAX; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) || c == '"' || c == ' ' ? '_' : c);
    }
    return text.length() > MAX ? out + "..." : out.toString();
  }

  /**
   * A name that matches no account, as {@code <unknown:0123456789ab>}: the first 48 bits of an
   * HMAC-SHA256 under this process's random key. Never the text itself.
   */
  public static String unknownName(String text) {
    if (text == null) {
      return "<unknown:->";
    }
    try {
      Mac mac = Mac.getInstance(MAC);
      mac.init(FINGERPRINT_KEY);
      byte[] digest = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
      return "<unknown:" + HexFormat.of().formatHex(digest, 0, 6) + ">";
    } catch (GeneralSecurityException e) {
      return "<unknown>";
    }
  }

  private static SecretKeySpec randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new SecretKeySpec(key, MAC);
  }
}
