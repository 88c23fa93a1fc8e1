package io.keepcluster.node.cli;

import picocli.CommandLine.Command;

/** {@code idp ...}: manage DRAPI IdP keysets in DIR. */
@Command(name = "idp", mixinStandardHelpOptions = true,
    description = "Manage IdP keysets (the four NAME.* files in DIR).",
    subcommands = {IdpCreateCommand.class})
public final class IdpCommand {}
