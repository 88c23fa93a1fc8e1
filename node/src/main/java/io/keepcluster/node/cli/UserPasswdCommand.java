package io.keepcluster.node.cli;

import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.password.PasswordHashingParameters;
import io.keepcluster.shared.users.UserEntry;
import io.keepcluster.shared.users.UserRecord;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code user passwd NAME --password-stdin}: sets a new password (and clears the lockout). */
@Command(name = "passwd", mixinStandardHelpOptions = true,
    description = {"Sets a user's password, read from standard input (first line), stored as an Argon2id hash.",
        "The new password works on every node within seconds, the old one stops, and the user's lockout is cleared."})
public final class UserPasswdCommand extends UserEditCommand {

  @Option(names = "--password-stdin", required = true,
      description = "Read the password from standard input (never from the command line).")
  boolean passwordStdin;

  private String hash;

  @Override
  boolean prepare() throws Exception {
    char[] password = UserAddCommand.readPassword();
    try {
      if (password.length == 0) {
        spec.commandLine().getErr().println("keepcluster: empty password on standard input");
        return false;
      }
      hash = new PasswordHasher(PasswordHashingParameters.defaults()).hash(password);
      return true;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  @Override
  UserEntry edit(UserRecord user, long version) {
    return UserEntry.of(user.withPasswordHash(hash).withVersion(version).withLockoutCleared());
  }

  @Override
  String done() {
    return "changed the password of user " + name;
  }
}
