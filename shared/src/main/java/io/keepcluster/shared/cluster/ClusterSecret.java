package io.keepcluster.shared.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The shared {@code KEEP_CLUSTER_SECRET}: checked for strength when parsed, and stretched into the
 * cluster's AES-256 key with Argon2id.
 *
 * <p>Why both: anyone who captures grid traffic holds ciphertext sealed under the derived key and
 * can test guesses offline, as fast as the key derivation allows. The strength rule keeps the
 * secret out of reach of a dictionary; Argon2id makes every guess cost
 * {@value #MEMORY_KIB} KiB of memory and a sizeable fraction of a second instead of microseconds.
 *
 * <p>Strength rule (a text cannot reveal its entropy, so this only refuses the obvious):
 * <ol>
 *   <li>at least {@value #MIN_CHARACTERS} characters: 22 random base64 characters carry 132 bits,
 *       so anything shorter cannot hold 128 bits;
 *   <li>then every occurrence of the {@link #DENYLIST} words is removed, ignoring case, until none
 *       is left, and each run of one repeated character is collapsed to a single character; what
 *       remains must still have {@value #MIN_CHARACTERS} characters, of which at least
 *       {@value #MIN_DISTINCT} are different.
 * </ol>
 *
 * <p>The secret text never appears in {@link #toString()} nor in any exception message.
 */
public final class ClusterSecret {

  public static final int MIN_CHARACTERS = 22;
  public static final int MIN_DISTINCT = 8;
  /**
   * Argon2id memory per derivation: 64 MiB. Not more, because the key is derived inside the node's
   * heap and nodes run with heaps as small as 256 MiB (the integration tests use -Xmx256m).
   */
  public static final int MEMORY_KIB = 65536;
  /**
   * Passes over that memory. Raised from RFC 9106's 3 until one derivation took 0.4-0.6 s on a
   * 2-core test machine (3 passes took 0.2 s): the cost is paid once per node start, and by an
   * attacker once per guess.
   */
  public static final int ITERATIONS = 8;
  /**
   * One lane: Bouncy Castle fills lanes one after another on the calling thread, so more lanes
   * would not make a derivation faster for us, only change the key.
   */
  public static final int PARALLELISM = 1;
  public static final int KEY_BYTES = 32;

  /**
   * Words people put in a cluster secret. Longest first, so that "keepcluster" is removed whole
   * rather than leaving "cluster" behind after "keep".
   */
  public static final List<String> DENYLIST = List.of("keepcluster", "changeme", "password",
      "letmein", "cluster", "domino", "secret", "123456", "qwerty", "admin", "keep", "test");

  private static final Pattern DENYLISTED = Pattern.compile(
      DENYLIST.stream().map(Pattern::quote).collect(Collectors.joining("|")),
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  /** Versioned so that a future change of KDF can never be confused with this one. */
  private static final String SALT_CONTEXT = "keepcluster/cluster-key/v2|";
  private static final int GENERATED_BYTES = 32;
  private static final String FIX = "; make one with: keepcluster-node secret generate";

  private final String text;

  private ClusterSecret(String text) {
    this.text = text;
  }

  /**
   * Accepts {@code text} only when it passes the strength rule described on this class.
   *
   * @throws WeakSecretException naming the failed rule; the message never contains the secret
   */
  public static ClusterSecret parse(String text) throws WeakSecretException {
    Objects.requireNonNull(text, "text");
    int length = text.codePointCount(0, text.length());
    if (length < MIN_CHARACTERS) {
      throw new WeakSecretException(WeakSecretException.Rule.TOO_SHORT,
          "KEEP_CLUSTER_SECRET is too weak: " + characters(length) + ", at least " + MIN_CHARACTERS
              + " needed (128 bits)" + FIX);
    }
    String rest = collapseRuns(withoutDenylistedWords(text));
    int restLength = rest.codePointCount(0, rest.length());
    if (restLength < MIN_CHARACTERS) {
      throw new WeakSecretException(WeakSecretException.Rule.TOO_PREDICTABLE,
          "KEEP_CLUSTER_SECRET is too weak: only " + characters(restLength) + " left once common words"
              + " (keepcluster, secret, password, ...) and repeated characters are removed, at least "
              + MIN_CHARACTERS + " needed" + FIX);
    }
    // At least 2 here: 22 characters without runs cannot all be the same one.
    long distinct = rest.codePoints().distinct().count();
    if (distinct < MIN_DISTINCT) {
      throw new WeakSecretException(WeakSecretException.Rule.TOO_FEW_DISTINCT,
          "KEEP_CLUSTER_SECRET is too weak: only " + distinct + " different characters, at least "
              + MIN_DISTINCT + " needed" + FIX);
    }
    return new ClusterSecret(text);
  }

  /** A fresh 256-bit secret: 32 random bytes as base64url without padding (43 characters). */
  public static ClusterSecret generate(SecureRandom random) {
    byte[] bytes = new byte[GENERATED_BYTES];
    random.nextBytes(bytes);
    String text = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Arrays.fill(bytes, (byte) 0);
    return new ClusterSecret(text);
  }

  /** The secret itself, for {@code secret generate} to print. Nothing else should call this. */
  public String encoded() {
    return text;
  }

  /**
   * The {@value #KEY_BYTES}-byte cluster key: Argon2id over the secret, salted with a hash of the
   * cluster name so that two clusters sharing a secret still get different keys and a
   * precomputed table serves one cluster name only. Deterministic, so every member with the same
   * secret and name gets the same key. CPU- and memory-bound (see {@link #MEMORY_KIB}); call it
   * once at start, never on an event loop. Returns a fresh array the caller may clear.
   */
  public byte[] deriveKey(String clusterName) {
    Objects.requireNonNull(clusterName, "clusterName");
    Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(MEMORY_KIB)
        .withIterations(ITERATIONS)
        .withParallelism(PARALLELISM)
        .withSalt(salt(clusterName))
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] key = new byte[KEY_BYTES];
    byte[] secretBytes = text.getBytes(StandardCharsets.UTF_8);
    try {
      generator.generateBytes(secretBytes, key);
    } finally {
      Arrays.fill(secretBytes, (byte) 0);
    }
    return key;
  }

  @Override
  public String toString() {
    return "ClusterSecret[redacted, " + text.codePointCount(0, text.length()) + " chars]";
  }

  private static byte[] salt(String clusterName) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest((SALT_CONTEXT + clusterName).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }

  private static String characters(int count) {
    return count + (count == 1 ? " character" : " characters");
  }

  /** Removes denylisted words until none is left, so "kekeepep" cannot hide a "keep". */
  private static String withoutDenylistedWords(String text) {
    String current = text;
    String next = DENYLISTED.matcher(current).replaceAll("");
    while (!next.equals(current)) {
      current = next;
      next = DENYLISTED.matcher(current).replaceAll("");
    }
    return current;
  }

  /** "aaab-bbb" becomes "ab-b": a run of one character adds almost nothing to a guess. */
  private static String collapseRuns(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int previous = -1;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      if (codePoint != previous) {
        out.appendCodePoint(codePoint);
      }
      previous = codePoint;
      i += Character.charCount(codePoint);
    }
    return out.toString();
  }
}
