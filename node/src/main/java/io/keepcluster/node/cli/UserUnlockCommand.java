package io.keepcluster.node.cli;

import io.keepcluster.shared.users.UserEntry;
import io.keepcluster.shared.users.UserRecord;
import picocli.CommandLine.Command;

/** {@code user unlock NAME}: clears a lockout after too many failed logins. */
@Command(name = "unlock", mixinStandardHelpOptions = true,
    description = {"Clears the user's failed logins and suspension on every node.",
        "Takes effect when a node running on DIR reads the change (within seconds)."})
public final class UserUnlockCommand extends UserEditCommand {

  @Override
  UserEntry edit(UserRecord user, long version) {
    return UserEntry.of(user.withVersion(version).withLockoutCleared());
  }

  @Override
  String done() {
    return "unlocked user " + name;
  }
}
