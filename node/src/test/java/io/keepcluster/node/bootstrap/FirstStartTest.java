package io.keepcluster.node.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.keepcluster.node.testing.TestNode;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's first start on a missing or empty config folder. */
class FirstStartTest {

  @TempDir
  Path parent;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private Path initialise(Map<String, String> env) throws Exception {
    Path dir = parent.resolve("keepconfig.d");
    new FirstStart(TestNode.HASHER, new SecureRandom())
        .initialise(dir, env, new PrintStream(printed, true, StandardCharsets.UTF_8));
    return dir;
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("a missing or empty folder needs a first start")
  void neededWhenEmpty() throws Exception {
    Path dir = parent.resolve("keepconfig.d");
    assertTrue(FirstStart.needed(dir, new JsonObject()));
    Files.createDirectories(dir);
    assertTrue(FirstStart.needed(dir, new JsonObject()));
  }

  @Test
  @DisplayName("a folder holding only 00-cluster.json and lost+found (a fresh Kubernetes volume) still needs a first start")
  void neededOnAFreshVolume() throws Exception {
    Path dir = parent.resolve("keepconfig.d");
    Files.createDirectories(dir.resolve("lost+found"));
    Files.writeString(dir.resolve("00-cluster.json"), "{\"cluster\":{\"name\":\"prod\"}}");
    assertTrue(FirstStart.needed(dir, new JsonObject()));
  }

  @Test
  @DisplayName("a folder with a directory user, or a config with a management account, is never bootstrapped")
  void notNeededWithAccounts() throws Exception {
    Path dir = initialise(Map.of());
    assertFalse(FirstStart.needed(dir, new JsonObject()));

    Path other = parent.resolve("other.d");
    Files.createDirectories(other);
    assertFalse(FirstStart.needed(other, new JsonObject().put("ops", new JsonObject().put("passwordHash", "x"))));
  }

  @Test
  @DisplayName("KEEP_ADMIN_PASSWORD set on a folder that has users gives one line saying it is ignored and why")
  void ignoredPasswordsSaySo() {
    Path dir = parent.resolve("keepconfig.d");
    assertTrue(FirstStart.ignoredPasswords(dir, Map.of()).isEmpty());
    String line = FirstStart.ignoredPasswords(dir, Map.of("KEEP_ADMIN_PASSWORD", "change-me-now")).orElseThrow();
    assertEquals(1, line.lines().count(), line);
    assertTrue(line.contains("KEEP_ADMIN_PASSWORD") && line.contains("user passwd admin"), line);
    assertFalse(line.contains("change-me-now"), "never the password itself: " + line);
  }

  @Test
  @DisplayName("a config folder that cannot be created is named with the operating system's reason")
  void uncreatableFolderSaysWhy() throws Exception {
    Path file = Files.writeString(parent.resolve("a-file"), "");
    Path dir = file.resolve("keepconfig.d");

    Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> new FirstStart(TestNode.HASHER, new SecureRandom())
            .initialise(dir, Map.of(), new PrintStream(printed, true, StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("cannot create config folder " + dir.toAbsolutePath() + ": "), e.getMessage());
    assertTrue(e.getMessage().endsWith("Exception)"), "the reason and its type: " + e.getMessage());
    assertNotEquals("cannot create config folder " + dir + ": " + dir, e.getMessage());
  }

  @Test
  @DisplayName("a missing folder is created with directory/users.json holding admin and management.json")
  void createsFiles() throws Exception {
    Path dir = initialise(Map.of());

    UserRecord admin = new UserDirectoryFile(dir).load().get("admin");
    assertEquals("MAIL $DATA", admin.scopes());
    assertTrue(admin.passwordHash().startsWith("$argon2id$"));
    assertTrue(Files.isRegularFile(dir.resolve("directory/users.json")));
    JsonObject management = new JsonObject(Files.readString(dir.resolve("management.json")));
    assertTrue(management.getJsonObject("managementAccounts").getJsonObject("admin")
        .getString("passwordHash").startsWith("$argon2id$"));
  }

  @Test
  @DisplayName("management.json holds a password hash, so it is readable by its owner only")
  void managementFileOwnerOnly() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path dir = initialise(Map.of());

    assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("management.json"))));
  }

  @Test
  @DisplayName("with KEEP_ADMIN_PASSWORD the admin logs in with that password, which is never printed")
  void adminPasswordFromEnv() throws Exception {
    Path dir = initialise(Map.of("KEEP_ADMIN_PASSWORD", "Chosen-Secret-1"));

    assertFalse(printed().contains("Chosen-Secret-1"), printed());
    try (TestNode node = TestNode.in(dir).start()) {
      assertEquals(200, node.login("admin", "Chosen-Secret-1").statusCode());
      assertEquals(401, node.login("admin", "something-else").statusCode());
    }
  }

  @Test
  @DisplayName("without KEEP_ADMIN_PASSWORD the printed line holds a random password that logs in")
  void printedPasswordWorks() throws Exception {
    Path dir = initialise(Map.of());

    Matcher matcher = Pattern.compile("password: (\\S+)").matcher(printed());
    assertTrue(matcher.find(), printed());
    String password = matcher.group(1);
    assertTrue(password.length() >= 16, "a strong random password");
    assertEquals(1, printed().strip().lines().count(), "printed once, in one line");
    try (TestNode node = TestNode.in(dir).start()) {
      JsonObject claims = new JsonObject(node.login("admin", password).body()).getJsonObject("claims");
      assertEquals("CN=admin/O=KeepCluster", claims.getString("sub"));
    }
  }

  @Test
  @DisplayName("the management account has its own password and hash: the directory admin's password does not open it")
  void managementAccountHasItsOwnSecret() throws Exception {
    Path dir = initialise(Map.of("KEEP_ADMIN_PASSWORD", "Chosen-Secret-1", "KEEP_MANAGEMENT_PASSWORD", "Console-Secret-2"));

    String userHash = new UserDirectoryFile(dir).load().get("admin").passwordHash();
    String managementHash = new JsonObject(Files.readString(dir.resolve("management.json")))
        .getJsonObject("managementAccounts").getJsonObject("admin").getString("passwordHash");
    assertNotEquals(userHash, managementHash);
    assertFalse(printed().contains("Console-Secret-2"), printed());
    try (TestNode node = TestNode.in(dir).start()) {
      assertEquals(200, TestNode.get(node.management("/api/node"),
          "Authorization", TestNode.basic("admin", "Console-Secret-2")).statusCode());
      assertEquals(401, TestNode.get(node.management("/api/node"),
          "Authorization", TestNode.basic("admin", "Chosen-Secret-1")).statusCode());
    }
  }

  @Test
  @DisplayName("without KEEP_MANAGEMENT_PASSWORD a second random password is printed for the management account")
  void managementPasswordPrinted() throws Exception {
    Path dir = initialise(Map.of("KEEP_ADMIN_PASSWORD", "Chosen-Secret-1"));

    Matcher matcher = Pattern.compile("management account 'admin' \\(password: (\\S+)").matcher(printed());
    assertTrue(matcher.find(), printed());
    try (TestNode node = TestNode.in(dir).start()) {
      assertEquals(200, TestNode.get(node.management("/api/node"),
          "Authorization", TestNode.basic("admin", matcher.group(1))).statusCode());
    }
  }

  @Test
  @DisplayName("two first starts make two different random passwords")
  void passwordsDiffer() throws Exception {
    Path first = parent.resolve("one");
    Path second = parent.resolve("two");
    FirstStart start = new FirstStart(TestNode.HASHER, new SecureRandom());
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    start.initialise(first, Map.of(), new PrintStream(a, true, StandardCharsets.UTF_8));
    start.initialise(second, Map.of(), new PrintStream(b, true, StandardCharsets.UTF_8));

    Pattern password = Pattern.compile("password: (\\S+)");
    Matcher ma = password.matcher(a.toString(StandardCharsets.UTF_8));
    Matcher mb = password.matcher(b.toString(StandardCharsets.UTF_8));
    assertTrue(ma.find() && mb.find());
    assertFalse(ma.group(1).equals(mb.group(1)));
  }
}
