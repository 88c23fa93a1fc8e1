package io.keepcluster.node.cli;

import picocli.CommandLine.Command;

/** {@code user ...}: manage the directory users in DIR/directory/users.json. */
@Command(name = "user", mixinStandardHelpOptions = true,
    description = "Manage directory users (DIR/directory/users.json).",
    subcommands = {UserAddCommand.class, UserListCommand.class, UserRemoveCommand.class,
        UserPasswdCommand.class, UserUnlockCommand.class, UserDisableCommand.class, UserEnableCommand.class})
public final class UserCommand {}
