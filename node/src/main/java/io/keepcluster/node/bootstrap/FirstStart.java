package io.keepcluster.node.bootstrap;

import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.files.SafeFiles;
import io.keepcluster.shared.users.UserDirectoryException;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Makes a config folder without any account usable: a bootstrap directory user {@code admin} who
 * can log in, and a management account {@code admin} for the console, each with its own password
 * and hash. Random passwords are printed once; {@code KEEP_ADMIN_PASSWORD} and
 * {@code KEEP_MANAGEMENT_PASSWORD} set them instead (and are then never printed).
 *
 * <p>"First start" means no directory user and no management account, not an empty folder: a
 * Kubernetes volume holds {@code lost+found/} and the init container's {@code 00-cluster.json}
 * before the node ever ran, and the bootstrap admin must still be made there. A folder with any
 * account is never touched.
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

  /**
   * True when {@code dir} holds no directory user and the effective configuration no management
   * account. Reads {@code dir/directory/users.json} (a missing file or folder is no user).
   *
   * @throws UserDirectoryException when the users file exists but cannot be read or parsed
   */
  public static boolean needed(Path dir, JsonObject managementAccounts) {
    if (!managementAccounts.isEmpty()) {
      return false;
    }
    // A missing folder has no users (and may sit under a file: creating it says why it cannot).
    return !Files.isDirectory(dir) || new UserDirectoryFile(dir).load().isEmpty();
  }

  /**
   * The one line to log when {@code KEEP_ADMIN_PASSWORD} or {@code KEEP_MANAGEMENT_PASSWORD} is set
   * but no first start happens, so a chosen password is never ignored silently; empty when neither
   * is set.
   */
  public static Optional<String> ignoredPasswords(Path dir, Map<String, String> env) {
    List<String> set = Stream.of(ADMIN_PASSWORD_ENV, MANAGEMENT_PASSWORD_ENV)
        .filter(name -> env.get(name) != null && !env.get(name).isEmpty()).toList();
    if (set.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("event=bootstrap_password_ignored variables=" + String.join(",", set) + " dir="
        + dir.toAbsolutePath() + " reason=\"the folder already has users or management accounts;"
        + " these variables only set the passwords of a first start\" action=\"change a password with"
        + " 'user passwd admin --password-stdin --config-dir DIR', or start on a new folder\"");
  }

  /**
   * Writes the bootstrap accounts.
   *
   * @throws IOException naming the path and the operating system's reason when a file cannot be
   *     written
   */
  public void initialise(Path dir, Map<String, String> env, PrintStream out) throws IOException {
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot create config folder " + dir.toAbsolutePath()
          + ": a file of that name is in the way, not a directory (FileAlreadyExistsException)", e);
    } catch (IOException e) {
      throw new IOException("cannot create config folder " + dir.toAbsolutePath() + ": " + why(e), e);
    }
    // Two secrets, two hashes: the directory admin logs in on the API, the management admin
    // runs the console. Guessing (or locking out) one says nothing about the other.
    char[] userPassword = chosenOrRandom(env, ADMIN_PASSWORD_ENV);
    char[] managementPassword = chosenOrRandom(env, MANAGEMENT_PASSWORD_ENV);
    try {
      new UserDirectoryFile(dir).upsert(new UserRecord(ADMIN, "CN=admin/O=KeepCluster", null,
          UserRecord.DEFAULT_SCOPES, hasher.hash(userPassword)));
      try {
        writeManagementAccounts(dir, hasher.hash(managementPassword));
      } catch (IOException e) {
        throw new IOException("cannot write " + dir.toAbsolutePath().resolve(MANAGEMENT_FILE) + ": "
            + why(e), e);
      }
      out.println("Created " + dir.toAbsolutePath() + " with bootstrap user 'admin' "
          + describe(env, ADMIN_PASSWORD_ENV, userPassword) + " and management account 'admin' "
          + describe(env, MANAGEMENT_PASSWORD_ENV, managementPassword));
      out.flush();
    } finally {
      Arrays.fill(userPassword, '\0');
      Arrays.fill(managementPassword, '\0');
    }
  }

  /** The operating system's reason and the exception's type: {@code permission denied (AccessDeniedException)}. */
  public static String why(IOException e) {
    return SafeFiles.reason(e) + " (" + e.getClass().getSimpleName() + ")";
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
