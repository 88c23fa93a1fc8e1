package io.keepcluster.node.bootstrap;

import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Makes an empty or missing config folder usable: a bootstrap directory user {@code admin} who
 * can log in, and a management account {@code admin} for the console, each with its own password
 * and hash. Random passwords are printed once; {@code KEEP_ADMIN_PASSWORD} and
 * {@code KEEP_MANAGEMENT_PASSWORD} set them instead (and are then never printed).
 */
public final class FirstStart {

  public static final String ADMIN = "admin";
  public static final String MANAGEMENT_FILE = "management.json";
  public static final String ADMIN_PASSWORD_ENV = "KEEP_ADMIN_PASSWORD";
  public static final String MANAGEMENT_PASSWORD_ENV = "KEEP_MANAGEMENT_PASSWORD";
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private final PasswordHasher hasher;
  private final SecureRandom random;

  public FirstStart(PasswordHasher hasher, SecureRandom random) {
    this.hasher = hasher;
    this.random = random;
  }

  /** True when {@code dir} is missing or has no entries at all. */
  public static boolean needed(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  public void initialise(Path dir, Map<String, String> env, PrintStream out) throws IOException {
    Files.createDirectories(dir);
    // Two secrets, two hashes: the directory admin logs in on the API, the management admin
    // runs the console. Guessing (or locking out) one says nothing about the other.
    char[] userPassword = chosenOrRandom(env, ADMIN_PASSWORD_ENV);
    char[] managementPassword = chosenOrRandom(env, MANAGEMENT_PASSWORD_ENV);
    try {
      new UserDirectoryFile(dir).upsert(new UserRecord(ADMIN, "CN=admin/O=KeepCluster", null,
          UserRecord.DEFAULT_SCOPES, hasher.hash(userPassword)));
      writeManagementAccounts(dir, hasher.hash(managementPassword));
      out.println("Created " + dir.toAbsolutePath() + " with bootstrap user 'admin' "
          + describe(env, ADMIN_PASSWORD_ENV, userPassword) + " and management account 'admin' "
          + describe(env, MANAGEMENT_PASSWORD_ENV, managementPassword));
      out.flush();
    } finally {
      Arrays.fill(userPassword, '\0');
      Arrays.fill(managementPassword, '\0');
    }
  }

  private char[] chosenOrRandom(Map<String, String> env, String variable) {
    String given = env.get(variable);
    return given != null && !given.isEmpty() ? given.toCharArray() : randomPassword();
  }

  /** The random password is shown once; a chosen one never is. */
  private static String describe(Map<String, String> env, String variable, char[] password) {
    String given = env.get(variable);
    return given != null && !given.isEmpty() ? "(password from " + variable + ")"
        : "(password: " + new String(password) + "  shown once; set " + variable + " to choose it)";
  }

  private static void writeManagementAccounts(Path dir, String hash) throws IOException {
    JsonObject json = new JsonObject().put("managementAccounts",
        new JsonObject().put(ADMIN, new JsonObject().put("passwordHash", hash)));
    Path temp = Files.createTempFile(dir, "." + MANAGEMENT_FILE, ".tmp");
    try {
      setOwnerOnly(temp);
      Files.writeString(temp, json.encodePrettily(), StandardCharsets.UTF_8);
      Files.move(temp, dir.resolve(MANAGEMENT_FILE), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void setOwnerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing more we can do portably.
    }
  }

  private char[] randomPassword() {
    char[] password = new char[20];
    for (int i = 0; i < password.length; i++) {
      password[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return password;
  }
}
