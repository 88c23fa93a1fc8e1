package io.keepcluster.node.cli;

import io.keepcluster.shared.users.UserEntry;
import io.keepcluster.shared.users.UserRecord;
import io.keepcluster.shared.users.UserState;
import picocli.CommandLine.Command;

/** {@code user enable NAME}: lets a disabled user log in again. */
@Command(name = "enable", mixinStandardHelpOptions = true,
    description = {"Enables a disabled user: they can log in again (tokens refused while disabled stay refused)."})
public final class UserEnableCommand extends UserEditCommand {

  @Override
  UserEntry edit(UserRecord user, long version) {
    return user.active() ? null : UserEntry.of(user.withState(UserState.ACTIVE).withVersion(version));
  }

  @Override
  String done() {
    return "enabled user " + name;
  }
}
