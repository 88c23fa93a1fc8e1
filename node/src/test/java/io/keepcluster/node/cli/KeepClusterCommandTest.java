package io.keepcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import io.keepcluster.shared.cluster.ClusterSecret;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CLI run in-process, for the commands that end by themselves. Standard input, output and
 * error are swapped for each run and restored afterwards.
 */
class KeepClusterCommandTest {

  @TempDir
  Path dir;

  /** What one run of the CLI did. */
  record Run(int exitCode, String out, String err) {}

  private static Run run(String stdin, String... args) {
    InputStream originalIn = System.in;
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StringWriter picocliOut = new StringWriter();
    StringWriter picocliErr = new StringWriter();
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      CommandLine commandLine = new CommandLine(new KeepClusterCommand())
          .setOut(new PrintWriter(picocliOut, true))
          .setErr(new PrintWriter(picocliErr, true));
      int exitCode = commandLine.execute(args);
      return new Run(exitCode, out.toString(StandardCharsets.UTF_8) + picocliOut,
          err.toString(StandardCharsets.UTF_8) + picocliErr);
    } finally {
      System.setIn(originalIn);
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  private Run addUser(String name, String password, String... extra) {
    String[] base = {"user", "add", name, "--dn", "CN=" + name + "/O=Acme", "--password-stdin",
        "--config-dir", dir.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return run(password + "\n", args);
  }

  @Test
  @DisplayName("--help exits 0 and prints the usage with --config-dir and the user command")
  void help() {
    Run run = run("", "--help");

    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("Usage: keepcluster-node"), run.out());
    assertTrue(run.out().contains("--config-dir"), run.out());
    assertTrue(run.out().contains("user"), run.out());
  }

  @Test
  @DisplayName("user add --help exits 0 and documents --dn and --password-stdin")
  void userAddHelp() {
    Run run = run("", "user", "add", "--help");

    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("--dn"), run.out());
    assertTrue(run.out().contains("--password-stdin"), run.out());
  }

  @Test
  @DisplayName("user add writes the user with dn, email, scopes and an Argon2id hash")
  void userAddWritesUser() {
    Run run = addUser("alice", "alice-pw", "--email", "alice@acme.test", "--scopes", "MAIL");

    assertEquals(0, run.exitCode(), run.err());
    UserRecord alice = new UserDirectoryFile(dir).load().get("alice");
    assertEquals("CN=alice/O=Acme", alice.dn());
    assertEquals("alice@acme.test", alice.email());
    assertEquals("MAIL", alice.scopes());
    assertTrue(alice.passwordHash().startsWith("$argon2id$"), "hash is Argon2id");
    assertTrue(!alice.passwordHash().contains("alice-pw"));
  }

  @Test
  @DisplayName("user add gives the user the default scopes MAIL $DATA")
  void userAddDefaultScopes() {
    addUser("alice", "alice-pw");

    assertEquals("MAIL $DATA", new UserDirectoryFile(dir).load().get("alice").scopes());
  }

  @Test
  @DisplayName("a user added while a node runs can log in without a restart")
  void userAddSeenByRunningNode() {
    try (TestNode node = TestNode.in(dir).user("bob", "CN=Bob/O=Acme", null, null, "bob-pw").start()) {
      node.bearer("bob", "bob-pw"); // the node has read the directory once
      assertEquals(401, node.login("alice", "alice-pw").statusCode());

      assertEquals(0, addUser("alice", "alice-pw").exitCode());

      // The node follows the file by change events (within seconds), not on every login.
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> node.login("alice", "alice-pw").statusCode() == 200);
      assertEquals(200, node.login("bob", "bob-pw").statusCode());
    }
  }

  @Test
  @DisplayName("adding an existing user fails with exit 1 and keeps the old password")
  void userAddExisting() {
    addUser("alice", "first-pw");
    String firstHash = new UserDirectoryFile(dir).load().get("alice").passwordHash();

    Run run = addUser("alice", "second-pw");

    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("already exists"), run.err());
    assertEquals(firstHash, new UserDirectoryFile(dir).load().get("alice").passwordHash());
  }

  @Test
  @DisplayName("user add --update replaces an existing user's password")
  void userAddUpdate() {
    addUser("alice", "first-pw");
    String firstHash = new UserDirectoryFile(dir).load().get("alice").passwordHash();

    Run run = addUser("alice", "second-pw", "--update");

    assertEquals(0, run.exitCode(), run.err());
    assertNotEquals(firstHash, new UserDirectoryFile(dir).load().get("alice").passwordHash());
  }

  @Test
  @DisplayName("user add with an empty standard input fails with exit 1 and writes nothing")
  void userAddEmptyPassword() {
    Run run = run("", "user", "add", "alice", "--dn", "CN=Alice", "--password-stdin",
        "--config-dir", dir.toString());

    assertEquals(1, run.exitCode());
    assertTrue(new UserDirectoryFile(dir).load().isEmpty());
  }

  @Test
  @DisplayName("user add with an invalid name fails with exit 1 and a reason")
  void userAddInvalidName() {
    Run run = addUser("al ice", "pw");

    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("username"), run.err());
  }

  @Test
  @DisplayName("user add without --dn is a usage error: non-zero exit naming the option")
  void userAddWithoutDn() {
    Run run = run("pw\n", "user", "add", "alice", "--password-stdin", "--config-dir", dir.toString());

    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("--dn"), run.err());
  }

  @Test
  @DisplayName("starting on a folder with invalid JSON exits 2 with the file name and the reason")
  void invalidConfigRefused() throws Exception {
    Files.writeString(dir.resolve("broken.json"), "{\"PORT\": 1,");

    Run run = run("", "--config-dir", dir.toString());

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("broken.json"), run.err());
    assertTrue(run.err().contains("invalid JSON"), run.err());
    assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
  }

  @Test
  @DisplayName("starting with an unknown logFormat exits 2 naming the key and the allowed values")
  void unknownLogFormatRefused() throws Exception {
    Files.writeString(dir.resolve("logs.json"), "{\"logFormat\": \"xml\"}");

    Run run = run("", "--config-dir", dir.toString());

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("logFormat must be \"text\" or \"json\""), run.err());
  }

  @Test
  @DisplayName("a config folder that cannot be created exits 2 with one line naming the path and the operating system's reason")
  void uncreatableFolderSaysWhy() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "");

    Run run = run("", "--config-dir", file.resolve("keepconfig.d").toString());

    assertEquals(2, run.exitCode());
    assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
    assertTrue(run.err().startsWith("keepcluster: cannot create config folder " + file.resolve("keepconfig.d")
        .toAbsolutePath() + ": "), run.err());
    assertTrue(run.err().strip().endsWith("Exception)"), "the reason and its type: " + run.err());
  }

  @Test
  @DisplayName("an unreadable users file stops the start with exit 2 and one line naming it")
  void unreadableUsersFileSaysWhy() throws Exception {
    Files.createDirectories(dir.resolve("directory"));
    Files.writeString(dir.resolve("directory/users.json"), "{\"users\": [");

    Run run = run("", "--config-dir", dir.toString());

    assertEquals(2, run.exitCode());
    assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
    assertTrue(run.err().contains("users.json") && run.err().contains("invalid JSON"), run.err());
  }

  @Test
  @DisplayName("starting with a config value of the wrong type exits 2 naming the key")
  void invalidValueRefused() throws Exception {
    Files.writeString(dir.resolve("tokens.json"), "{\"JwtDuration\": \"two hours\"}");

    Run run = run("", "--config-dir", dir.toString());

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("JwtDuration"), run.err());
  }

  @Test
  @DisplayName("secret generate prints exactly one line, a secret that the strength rule accepts, and exits 0")
  void secretGenerate() throws Exception {
    Run run = run("", "secret", "generate");

    assertEquals(0, run.exitCode(), run.err());
    assertEquals("", run.err());
    assertEquals(1, run.out().lines().count(), "one line: " + run.out().length() + " characters");
    String secret = run.out().strip();
    assertEquals(43, secret.length());
    assertEquals(secret, ClusterSecret.parse(secret).encoded());
  }

  @Test
  @DisplayName("two runs of secret generate print different secrets")
  void secretGenerateIsFresh() {
    assertNotEquals(run("", "secret", "generate").out(), run("", "secret", "generate").out());
  }

  @Test
  @DisplayName("secret generate --help says it is a fresh 256-bit secret for KEEP_CLUSTER_SECRET on every node")
  void secretGenerateHelp() {
    Run run = run("", "secret", "generate", "--help");

    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("Usage: keepcluster-node secret generate"), run.out());
    assertTrue(run.out().contains("256-bit"), run.out());
    assertTrue(run.out().contains("KEEP_CLUSTER_SECRET on every node"), run.out());
  }
}
