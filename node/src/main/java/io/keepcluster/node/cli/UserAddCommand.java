package io.keepcluster.node.cli;

import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.password.PasswordHashingParameters;
import io.keepcluster.shared.users.InvalidUserException;
import io.keepcluster.shared.users.UserDirectoryException;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code user add NAME --dn ... --password-stdin}: adds (or with --update, changes) a user. */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = {"Adds a user who can log in with POST /api/v1/auth.",
        "The password is read from standard input (first line) and stored as an Argon2id hash.",
        "A running node on DIR picks the change up without a restart and the cluster spreads it.",
        "--update replaces an existing user (a new password also clears their lockout)."})
public final class UserAddCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "Login name.")
  String name;

  @Option(names = "--dn", required = true, description = "Distinguished name, e.g. \"CN=Alice/O=Acme\".")
  String dn;

  @Option(names = "--email", description = "E-mail address (email claim).")
  String email;

  @Option(names = "--scopes", defaultValue = UserRecord.DEFAULT_SCOPES,
      description = "Space-separated scopes the user may receive (default: ${DEFAULT-VALUE}).")
  String scopes;

  @Option(names = "--password-stdin", required = true,
      description = "Read the password from standard input (never from the command line).")
  boolean passwordStdin;

  @Option(names = "--update", description = "Replace an existing user of this name.")
  boolean update;

  @Mixin
  ConfigDirOption configDir;

  @Option(names = "--create", description = "Create DIR when it does not exist (else that is an error).")
  boolean create;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!create && !configDir.exists(spec.commandLine().getErr(), true)) {
      return KeepClusterCommand.EXIT_CONFIG;
    }
    char[] password = readPassword();
    if (password.length == 0) {
      System.err.println("keepcluster: empty password on standard input");
      return 1;
    }
    try {
      UserDirectoryFile directory = new UserDirectoryFile(configDir.dir);
      if (!update && directory.load().containsKey(name)) {
        System.err.println("keepcluster: user " + name + " already exists (use --update to replace it)");
        return 1;
      }
      String hash = new PasswordHasher(PasswordHashingParameters.defaults()).hash(password);
      // Versioned now, so the change is newer than anything the cluster knows of this name
      // (upsert goes past the version of a user or tombstone it replaces).
      directory.upsert(new UserRecord(name, dn, email, scopes, hash).withVersion(System.currentTimeMillis())
          .withLockoutCleared());
      System.out.println((update ? "updated" : "added") + " user " + name + " in " + directory.path());
      return 0;
    } catch (InvalidUserException | UserDirectoryException e) {
      System.err.println("keepcluster: " + e.getMessage());
      return 1;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  static char[] readPassword() throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = reader.readLine();
    return line == null ? new char[0] : line.toCharArray();
  }
}
