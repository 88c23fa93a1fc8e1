package io.keepcluster.node.cli;

import io.keepcluster.shared.users.UserEntry;
import io.keepcluster.shared.users.UserRecord;
import io.keepcluster.shared.users.UserState;
import picocli.CommandLine.Command;

/** {@code user disable NAME}: suspends a user without removing them. */
@Command(name = "disable", mixinStandardHelpOptions = true,
    description = {"Disables a user: no login on any node and their live tokens are refused, until `user enable`."})
public final class UserDisableCommand extends UserEditCommand {

  @Override
  UserEntry edit(UserRecord user, long version) {
    return user.active() ? UserEntry.of(user.withState(UserState.DISABLED).withVersion(version)) : null;
  }

  @Override
  String done() {
    return "disabled user " + name;
  }
}
