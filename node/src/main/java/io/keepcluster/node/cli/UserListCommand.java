package io.keepcluster.node.cli;

import io.keepcluster.shared.users.UserDirectoryException;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code user list}: the users of DIR, one per line. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"Lists the users in DIR/directory/users.json: NAME, STATE (active|disabled), DN, EMAIL, SCOPES.",
        "Lockouts live in the running cluster: see GET /api/users on the management port."})
public final class UserListCommand implements Callable<Integer> {

  @Mixin
  ConfigDirOption configDir;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (!configDir.exists(spec.commandLine().getErr(), false)) {
      return KeepClusterCommand.EXIT_CONFIG;
    }
    try {
      PrintWriter out = spec.commandLine().getOut();
      for (UserRecord user : new UserDirectoryFile(configDir.dir).load().values().stream()
          .sorted(java.util.Comparator.comparing(UserRecord::username)).toList()) {
        out.println(String.join("\t", user.username(), user.state().label(), user.dn(),
            user.email() == null ? "-" : user.email(), user.scopes()));
      }
      out.flush();
      return 0;
    } catch (UserDirectoryException e) {
      spec.commandLine().getErr().println("keepcluster: " + e.getMessage());
      return 1;
    }
  }
}
