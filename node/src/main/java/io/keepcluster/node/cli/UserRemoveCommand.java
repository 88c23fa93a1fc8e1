package io.keepcluster.node.cli;

import io.keepcluster.shared.users.UserEntry;
import io.keepcluster.shared.users.UserRecord;
import picocli.CommandLine.Command;

/** {@code user remove NAME}: offboards a user everywhere. */
@Command(name = "remove", mixinStandardHelpOptions = true,
    description = {"Removes a user: they can no longer log in on any node, and their live tokens are refused.",
        "Leaves a tombstone (name and version, no hash) so no older copy brings the user back."})
public final class UserRemoveCommand extends UserEditCommand {

  @Override
  UserEntry edit(UserRecord user, long version) {
    return UserEntry.tombstone(user.username(), version);
  }

  @Override
  String done() {
    return "removed user " + name;
  }
}
