package io.keepcluster.node.cli;

import io.keepcluster.node.KeepClusterNode;
import io.keepcluster.node.bootstrap.FirstStart;
import io.keepcluster.node.config.ConfigException;
import io.keepcluster.node.config.ConfigLoader;
import io.keepcluster.node.config.NodeConfig;
import io.keepcluster.node.http.ListenException;
import io.keepcluster.node.shutdown.ShutdownSignals;
import io.keepcluster.node.logging.LogSettings;
import io.keepcluster.node.logging.LogSetup;
import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.password.PasswordHashingParameters;
import io.keepcluster.shared.users.UserDirectoryException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar keepcluster-node.jar [--config-dir DIR]}: starts a node; subcommands manage DIR
 * and make the cluster secret.
 */
@Command(name = "keepcluster-node", mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Starts a KeepCluster node: DRAPI-compatible JWT login that shares its keysets "
        + "with every node of the cluster.",
        "Ports come from PORT, HEALTHCHECKPORT, MANAGMENTPORT (or MANAGEMENTPORT), METRICSPORT "
        + "and BIND, in the environment or in DIR/*.json; 0 picks a free port."},
    subcommands = {UserCommand.class, IdpCommand.class, SecretCommand.class})
public final class KeepClusterCommand implements Callable<Integer> {

  /** Every start-up failure: one line on stderr naming what and why. */
  static final int EXIT_CONFIG = 2;
  /** A stop that had to cut something short (requests past the wait, a cluster leave that failed). */
  static final int EXIT_UNCLEAN_STOP = 1;
  private static final Logger LOG = LoggerFactory.getLogger(KeepClusterCommand.class);

  @Option(names = "--config-dir", paramLabel = "DIR", defaultValue = "keepconfig.d",
      description = "The keepconfig.d folder (default: ${DEFAULT-VALUE}); created when missing, with a bootstrap admin when it holds no user and no management account.")
  Path configDir;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with the project's error handling: one line per error, no stack traces. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new KeepClusterCommand());
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("keepcluster: " + e.getMessage());
      return 1;
    });
    // Bad arguments: one line that says what is wrong and where the help is, not a usage dump.
    commandLine.setParameterExceptionHandler((e, arguments) -> {
      e.getCommandLine().getErr().println("keepcluster: " + e.getMessage() + " (try "
          + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
      return EXIT_CONFIG;
    });
    return commandLine;
  }

  /** A parser's message may span lines (Jackson adds its location): the operator gets the first. */
  static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    return message.lines().findFirst().orElse("").strip();
  }

  @Override
  public Integer call() throws InterruptedException {
    ConfigLoader loader = ConfigLoader.fromEnvironment();
    try {
      LogSettings.fromEnvironment(loader.env());
    } catch (IllegalArgumentException e) {
      System.err.println("keepcluster: " + e.getMessage());
      return EXIT_CONFIG;
    }
    NodeConfig config;
    try {
      // What the environment and the folder say, checked before anything is created on disk.
      config = loader.load(configDir);
      if (FirstStart.needed(configDir, config.managementAccounts())) {
        new FirstStart(new PasswordHasher(PasswordHashingParameters.defaults()), new SecureRandom())
            .initialise(configDir, loader.env(), System.out);
        config = loader.load(configDir);
      } else {
        FirstStart.ignoredPasswords(configDir, loader.env()).ifPresent(LOG::warn);
      }
    } catch (IOException | UserDirectoryException e) {
      // Both name the path and the operating system's reason.
      System.err.println("keepcluster: " + oneLine(e.getMessage()));
      return EXIT_CONFIG;
    } catch (ConfigException e) {
      System.err.println("keepcluster: " + e.line());
      return EXIT_CONFIG;
    }
    try {
      // The environment chose the log format at start; the config folder may change it now.
      LogSetup.apply(LogSettings.from(config.raw(), loader.env(), configDir));
    } catch (IllegalArgumentException e) {
      System.err.println("keepcluster: " + e.getMessage());
      return EXIT_CONFIG;
    }
    KeepClusterNode node;
    try {
      node = KeepClusterNode.start(new KeepClusterNode.Settings(config, loader.env(),
          Clock.systemUTC(), PasswordHashingParameters.defaults()))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      // A port in use or unusable TLS files: the operator's to fix, one line, like a bad config.
      if (cause instanceof ListenException || cause instanceof ConfigException) {
        System.err.println("keepcluster: " + oneLine(cause.getMessage()));
        return EXIT_CONFIG;
      }
      System.err.println("keepcluster: node failed to start: " + oneLine(cause.getMessage()));
      return EXIT_CONFIG;
    }
    System.out.println(node.ports().announcement());
    System.out.println(node.listening());
    System.out.flush();
    // SIGTERM/SIGINT start the graceful stop (exit 0 when clean); the hook covers every other way
    // the JVM may be asked to exit (SIGHUP, or a handler the JVM refused) with the same sequence.
    ShutdownSignals.install(node::shutdown, node::shutdown);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> await(node.shutdown()), "keepcluster-exit"));
    return await(node.stopped()) ? 0 : EXIT_UNCLEAN_STOP;
  }

  /** Blocks until the node has stopped; true when the stop was clean. */
  private static boolean await(java.util.concurrent.CompletableFuture<Boolean> stop) {
    try {
      return stop.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return false;
    }
  }
}
