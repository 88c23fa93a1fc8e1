package io.keepcluster.shared.password;

import java.util.Base64;

/**
 * A parsed Argon2id PHC string: {@code $argon2id$v=19$m=M,t=T,p=P$salt$hash}.
 *
 * <p>{@link #parse} returns null instead of throwing: callers treat any malformed value as
 * "does not match", and the bounds in {@link PasswordHashingParameters} refuse parameters that
 * would make a verification expensive.
 */
record PhcHash(PasswordHashingParameters parameters, byte[] salt, byte[] hash) {

  private static final int MIN_SALT = 8;
  private static final int MAX_SALT = 64;
  private static final int MIN_HASH = 16;
  private static final int MAX_HASH = 64;
  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  PhcHash withHash(byte[] newHash) {
    return new PhcHash(parameters, salt, newHash);
  }

  String format() {
    return "$argon2id$v=19$m=" + parameters.memoryKiB() + ",t=" + parameters.iterations()
        + ",p=" + parameters.parallelism() + "$" + ENCODER.encodeToString(salt) + "$"
        + ENCODER.encodeToString(hash);
  }

  static PhcHash parse(String value) {
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    String[] parts = value.split("\\$", -1);
    if (parts.length != 6 || !parts[0].isEmpty() || !"argon2id".equals(parts[1])
        || !"v=19".equals(parts[2])) {
      return null;
    }
    PasswordHashingParameters parameters = parseParameters(parts[3]);
    byte[] salt = decode(parts[4]);
    byte[] hash = decode(parts[5]);
    if (parameters == null || salt == null || hash == null
        || salt.length < MIN_SALT || salt.length > MAX_SALT
        || hash.length < MIN_HASH || hash.length > MAX_HASH) {
      return null;
    }
    return new PhcHash(parameters, salt, hash);
  }

  private static PasswordHashingParameters parseParameters(String text) {
    String[] fields = text.split(",", -1);
    if (fields.length != 3 || !fields[0].startsWith("m=") || !fields[1].startsWith("t=")
        || !fields[2].startsWith("p=")) {
      return null;
    }
    try {
      return new PasswordHashingParameters(number(fields[0]), number(fields[1]),
          number(fields[2]));
    } catch (IllegalArgumentException e) {
      // Out of bounds or not a number (NumberFormatException is an IllegalArgumentException).
      return null;
    }
  }

  private static int number(String field) {
    String digits = field.substring(2);
    // Digits only and short: refuses "+5", "-1", "0x10" and values that would overflow.
    if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new NumberFormatException("not a small decimal: " + field);
    }
    return Integer.parseInt(digits);
  }

  private static byte[] decode(String text) {
    if (text.isEmpty() || text.indexOf('=') >= 0) {
      return null;
    }
    try {
      byte[] bytes = DECODER.decode(text);
      // The decoder ignores the unused low bits of the last character; refuse such
      // non-canonical spellings so one hash has exactly one string form.
      return ENCODER.encodeToString(bytes).equals(text) ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
