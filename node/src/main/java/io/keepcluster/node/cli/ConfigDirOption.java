package io.keepcluster.node.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config-dir DIR} of the offline commands. A folder that does not exist is an error, not
 * a new folder: a typo must not silently write users or keys where no node will ever read them.
 */
final class ConfigDirOption {

  @Option(names = "--config-dir", paramLabel = "DIR", defaultValue = "keepconfig.d",
      description = "The keepconfig.d folder (default: ${DEFAULT-VALUE}); it must exist.")
  Path dir;

  /** True when DIR is a folder; else prints one line naming it and answers false. */
  boolean exists(PrintWriter err, boolean creatable) {
    if (Files.isDirectory(dir)) {
      return true;
    }
    err.println("keepcluster: config folder " + dir.toAbsolutePath().normalize()
        + (Files.exists(dir) ? " is not a folder" : " does not exist")
        + (creatable ? " (add --create to create it)" : ""));
    err.flush();
    return false;
  }
}
