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
import java.util.Map;
import java.util.stream.Stream;

/**
 * Makes an empty or missing config folder usable: a bootstrap {@code admin} who can log in and
 * use the management console. The random password is printed once; {@code KEEP_ADMIN_PASSWORD}
 * sets it instead (and is then never printed).
 */
public final class FirstStart {

  public static final String ADMIN = "admin";
  public static final String MANAGEMENT_FILE = "management.json";
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
    String given = env.get("KEEP_ADMIN_PASSWORD");
    char[] password = given != null && !given.isEmpty() ? given.toCharArray() : randomPassword();
    String hash = hasher.hash(password);
    new UserDirectoryFile(dir).upsert(new UserRecord(ADMIN, "CN=admin/O=KeepCluster", null,
        UserRecord.DEFAULT_SCOPES, hash));
    writeManagementAccounts(dir, hash);
    if (given == null || given.isEmpty()) {
      out.println("Created " + dir.toAbsolutePath() + " with bootstrap user 'admin', password: "
          + new String(password) + "  (shown once; set KEEP_ADMIN_PASSWORD to choose it)");
    } else {
      out.println("Created " + dir.toAbsolutePath()
          + " with bootstrap user 'admin' (password from KEEP_ADMIN_PASSWORD)");
    }
    out.flush();
    java.util.Arrays.fill(password, '\0');
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
