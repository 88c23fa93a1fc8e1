package io.keepcluster.shared.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Hashes passwords with Argon2id (PHC string format) and verifies Argon2id and bcrypt hashes.
 *
 * <p>Verification never throws for bad stored data: a hash that cannot be parsed, uses an
 * unknown scheme or asks for more work than the caps allow simply does not match. That keeps a
 * corrupted users.json from turning a login into a 500 or into a denial of service.
 *
 * <p>Every method is CPU-bound (about the cost of {@link PasswordHashingParameters#defaults()})
 * and must run on a worker thread, never on an event loop. The caller owns the password arrays;
 * they are not cleared here. Passwords and hashes are never logged.
 */
public final class PasswordHasher {

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  /** bcrypt cost is 2^cost rounds; 14 is already about a second. Above it is refused. */
  private static final int MAX_BCRYPT_COST = 14;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

  private final PasswordHashingParameters parameters;
  private final SecureRandom random;
  /**
   * Argon2's working memory (m KiB of 1 KiB blocks), kept per thread and reused by every hash
   * that thread computes: a login burst then costs the hashing threads times m, not a fresh
   * 19 MiB per login for the garbage collector to chase (which let the heap, and the RSS, grow
   * to over a gigabyte). Bouncy Castle clears every block before it returns to the pool.
   */
  private final ThreadLocal<Argon2BytesGenerator.BlockPool> blocks;
  /** Built on first use: the CLI that only hashes should not pay for it. */
  private volatile String dummyHash;

  public PasswordHasher(PasswordHashingParameters parameters) {
    this(parameters, new SecureRandom());
  }

  PasswordHasher(PasswordHashingParameters parameters, SecureRandom random) {
    this.parameters = Objects.requireNonNull(parameters, "parameters");
    this.random = Objects.requireNonNull(random, "random");
    int poolBlocks = Argon2BytesGenerator.getBlockCount(parameters.memoryKiB(), parameters.parallelism());
    this.blocks = ThreadLocal.withInitial(() -> new Argon2BytesGenerator.FixedBlockPool(poolBlocks));
  }

  public PasswordHashingParameters parameters() {
    return parameters;
  }

  /** Returns {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash} with a fresh random salt. */
  public String hash(char[] password) {
    Objects.requireNonNull(password, "password");
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    PhcHash phc = new PhcHash(parameters, salt, new byte[0]);
    return phc.withHash(argon2(password, phc, HASH_BYTES)).format();
  }

  /** True only when {@code storedHash} is a well-formed Argon2id or bcrypt hash of the password. */
  public boolean verify(char[] password, String storedHash) {
    if (password == null || storedHash == null) {
      return false;
    }
    if (storedHash.startsWith("$argon2id$")) {
      return verifyArgon2(password, storedHash);
    }
    if (isBcrypt(storedHash)) {
      return verifyBcrypt(password, storedHash);
    }
    return false;
  }

  /**
   * Runs a full-cost verification against a fixed hash that no password matches, and returns
   * false. Used when the user does not exist, so that "unknown user" and "wrong password"
   * take the same time and an attacker cannot enumerate usernames by timing.
   */
  public boolean verifyAgainstDummy(char[] password) {
    verify(password == null ? new char[0] : password, dummyHash());
    return false;
  }

  /**
   * True when the stored hash should be replaced at the next successful login: bcrypt, any
   * unparseable value, or Argon2id with less memory or fewer passes than this hasher uses.
   */
  public boolean needsRehash(String storedHash) {
    if (storedHash == null || !storedHash.startsWith("$argon2id$")) {
      return true;
    }
    PhcHash phc = PhcHash.parse(storedHash);
    return phc == null || phc.parameters().weakerThan(parameters);
  }

  private boolean verifyArgon2(char[] password, String storedHash) {
    PhcHash stored = PhcHash.parse(storedHash);
    if (stored == null) {
      return false;
    }
    byte[] computed = argon2(password, stored, stored.hash().length);
    // Constant time, so the comparison leaks nothing about how many bytes matched.
    return MessageDigest.isEqual(computed, stored.hash());
  }

  private static boolean isBcrypt(String storedHash) {
    return storedHash.startsWith("$2y$") || storedHash.startsWith("$2a$")
        || storedHash.startsWith("$2b$");
  }

  private static boolean verifyBcrypt(char[] password, String storedHash) {
    // "$2y$NN$" + 53 characters of salt and hash.
    if (storedHash.length() != 60 || storedHash.charAt(6) != '$') {
      return false;
    }
    int cost;
    try {
      cost = Integer.parseInt(storedHash.substring(4, 6));
    } catch (NumberFormatException e) {
      return false;
    }
    if (cost < 4 || cost > MAX_BCRYPT_COST) {
      return false;
    }
    try {
      // Bouncy Castle compares the recomputed hash in constant time.
      return OpenBSDBCrypt.checkPassword(storedHash, password);
    } catch (IllegalArgumentException | org.bouncycastle.crypto.DataLengthException e) {
      // Malformed salt or hash characters: treat as "no match", as for any bad stored data.
      return false;
    }
  }

  private byte[] argon2(char[] password, PhcHash phc, int outputLength) {
    PasswordHashingParameters p = phc.parameters();
    org.bouncycastle.crypto.params.Argon2Parameters bcParams =
        new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
            org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
            .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(p.memoryKiB())
            .withIterations(p.iterations())
            .withParallelism(p.parallelism())
            .withSalt(phc.salt())
            // A stored hash asking for more memory than this hasher's takes the extra blocks
            // fresh; the pool never keeps more than this hasher's own cost.
            .withBlockPool(blocks.get())
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(bcParams);
    byte[] out = new byte[outputLength];
    byte[] passwordBytes = utf8(password);
    try {
      generator.generateBytes(passwordBytes, out);
    } finally {
      java.util.Arrays.fill(passwordBytes, (byte) 0);
    }
    return out;
  }

  /** UTF-8 without going through an immutable String that would keep the password around. */
  private static byte[] utf8(char[] password) {
    java.nio.ByteBuffer buffer = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    if (buffer.hasArray()) {
      java.util.Arrays.fill(buffer.array(), (byte) 0);
    }
    return bytes;
  }

  private String dummyHash() {
    String dummy = dummyHash;
    if (dummy == null) {
      // A random password nobody knows, hashed at this hasher's cost so the work matches a
      // real verification. Racing threads may each build one; any of them is fine.
      char[] secret = B64.encodeToString(randomBytes(24)).toCharArray();
      dummy = hash(secret);
      java.util.Arrays.fill(secret, '\0');
      dummyHash = dummy;
    }
    return dummy;
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }
}
