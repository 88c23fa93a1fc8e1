package io.keepcluster.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import io.keepcluster.shared.users.UserState;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code user list|remove|passwd|unlock|disable|enable}, and the missing-folder rule of every user and idp command. */
class UserLifecycleCommandsTest {

  @TempDir
  Path dir;

  record Run(int exitCode, String out, String err) {}

  private static Run run(String stdin, String... args) {
    InputStream originalIn = System.in;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      CommandLine commandLine = KeepClusterCommand.commandLine()
          .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
      int exit = commandLine.execute(args);
      return new Run(exit, out.toString(), err.toString());
    } finally {
      System.setIn(originalIn);
    }
  }

  private Run addBob() {
    return run("bob-pw\n", "user", "add", "bob", "--dn", "CN=Bob/O=Acme", "--password-stdin",
        "--config-dir", dir.toString());
  }

  private UserRecord bob() {
    return new UserDirectoryFile(dir).load().get("bob");
  }

  @ParameterizedTest
  @ValueSource(strings = {"list", "remove", "passwd", "unlock", "disable", "enable"})
  @DisplayName("every new user command has --help (exit 0)")
  void help(String command) {
    Run run = run("", "user", command, "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("--config-dir"), run.out());
  }

  @Test
  @DisplayName("remove leaves a tombstone and the user out of list; removing again exits 1 with one line")
  void remove() {
    assertEquals(0, addBob().exitCode());
    long added = bob().version();
    Run removed = run("", "user", "remove", "bob", "--config-dir", dir.toString());
    assertEquals(0, removed.exitCode(), removed.err());
    assertTrue(new UserDirectoryFile(dir).entries().get("bob").removed());
    assertTrue(new UserDirectoryFile(dir).entries().get("bob").version() > added);
    assertFalse(run("", "user", "list", "--config-dir", dir.toString()).out().contains("bob"));

    Run again = run("", "user", "remove", "bob", "--config-dir", dir.toString());
    assertEquals(1, again.exitCode());
    assertEquals(1, again.err().strip().lines().count(), again.err());
    assertTrue(again.err().contains("no user bob"), again.err());
  }

  @Test
  @DisplayName("passwd replaces the hash, bumps the version and marks the lockout cleared")
  void passwd() {
    addBob();
    UserRecord before = bob();
    Run run = run("new-pw\n", "user", "passwd", "bob", "--password-stdin", "--config-dir", dir.toString());
    assertEquals(0, run.exitCode(), run.err());
    UserRecord after = bob();
    assertNotEquals(before.passwordHash(), after.passwordHash());
    assertTrue(after.version() > before.version());
    assertEquals(after.version(), after.lockoutClearedAt());
  }

  @Test
  @DisplayName("disable, list shows it, enable; unlock marks the lockout cleared")
  void disableEnableUnlock() {
    addBob();
    assertEquals(0, run("", "user", "disable", "bob", "--config-dir", dir.toString()).exitCode());
    assertEquals(UserState.DISABLED, bob().state());
    assertTrue(run("", "user", "list", "--config-dir", dir.toString()).out().contains("bob\tdisabled"));
    assertEquals(0, run("", "user", "enable", "bob", "--config-dir", dir.toString()).exitCode());
    assertEquals(UserState.ACTIVE, bob().state());
    long before = bob().version();
    assertEquals(0, run("", "user", "unlock", "bob", "--config-dir", dir.toString()).exitCode());
    assertTrue(bob().lockoutClearedAt() > before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"passwd", "unlock", "disable", "enable"})
  @DisplayName("a change of an unknown user exits 1 with one line and writes nothing")
  void unknownUser(String command) throws Exception {
    addBob();
    String before = Files.readString(new UserDirectoryFile(dir).path());
    Run run = run("pw\n", "user", command, "nobody", "--password-stdin", "--config-dir", dir.toString());
    if (!command.equals("passwd")) {
      run = run("", "user", command, "nobody", "--config-dir", dir.toString());
    }
    assertEquals(1, run.exitCode(), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertEquals(before, Files.readString(new UserDirectoryFile(dir).path()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "user list", "user remove bob", "user unlock bob", "user disable bob", "user enable bob",
      "user passwd bob --password-stdin", "user add bob --dn CN=Bob --password-stdin",
      "idp create K1 --algorithm EC"})
  @DisplayName("a --config-dir that does not exist is an error naming it, and nothing is created")
  void missingConfigDir(String command) {
    Path typo = dir.resolve("keepconfg.d");
    String[] base = command.split(" ");
    String[] args = new String[base.length + 2];
    System.arraycopy(base, 0, args, 0, base.length);
    args[base.length] = "--config-dir";
    args[base.length + 1] = typo.toString();
    Run run = run("pw\n", args);
    assertNotEquals(0, run.exitCode());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains(typo.toString()), run.err());
    assertFalse(Files.exists(typo));
  }

  @Test
  @DisplayName("user add --create makes the missing folder")
  void createFlag() {
    Path fresh = dir.resolve("new.d");
    Run run = run("pw\n", "user", "add", "bob", "--dn", "CN=Bob", "--password-stdin", "--create",
        "--config-dir", fresh.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(new UserDirectoryFile(fresh).load().containsKey("bob"));
  }
}
