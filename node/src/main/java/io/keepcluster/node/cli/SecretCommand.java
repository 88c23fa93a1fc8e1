package io.keepcluster.node.cli;

import picocli.CommandLine.Command;

/** {@code secret ...}: the shared {@code KEEP_CLUSTER_SECRET}. */
@Command(name = "secret", mixinStandardHelpOptions = true,
    description = "Manage the cluster secret (KEEP_CLUSTER_SECRET).",
    subcommands = {SecretGenerateCommand.class})
public final class SecretCommand {}
