package io.keepcluster.node.cli;

import io.keepcluster.shared.users.UserDirectoryException;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserEntry;
import io.keepcluster.shared.users.UserRecord;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A change of one existing user in DIR/directory/users.json, made under the directory's lock on
 * the user as it is then. The change gets a version past the user's current one, so the running
 * node (and through it the cluster) takes it as the newest.
 */
abstract class UserEditCommand implements Callable<Integer> {

  static final int EXIT_UNKNOWN_USER = 1;

  @Parameters(index = "0", paramLabel = "NAME", description = "Login name.")
  String name;

  @Mixin
  ConfigDirOption configDir;

  @Spec
  CommandSpec spec;

  /** Work before the lock is taken (reading and hashing a password); false stops with exit 1. */
  boolean prepare() throws Exception {
    return true;
  }

  /** The new entry for {@code user}, which must carry {@code version}; null when nothing changes. */
  abstract UserEntry edit(UserRecord user, long version);

  /** Printed after a change, e.g. "removed user bob". */
  abstract String done();

  @Override
  public Integer call() throws Exception {
    if (!configDir.exists(spec.commandLine().getErr(), false)) {
      return KeepClusterCommand.EXIT_CONFIG;
    }
    UserDirectoryFile file = new UserDirectoryFile(configDir.dir);
    try {
      // Checked before any work (a password read, a hash) is spent on a name that is not there.
      if (!file.load().containsKey(name)) {
        return unknown(file);
      }
      if (!prepare()) {
        return 1;
      }
      AtomicBoolean known = new AtomicBoolean(true);
      file.edit(spec.name(), name, entries -> {
        UserEntry current = entries.get(name);
        if (current == null || current.removed()) {
          known.set(false);
          return false;
        }
        UserEntry next = edit(current.user(), current.nextVersion(System.currentTimeMillis()));
        if (next == null) {
          return false;
        }
        entries.put(name, next);
        return true;
      });
      if (!known.get()) {
        return unknown(file);
      }
      spec.commandLine().getOut().println(done() + " in " + file.path());
      return 0;
    } catch (UserDirectoryException e) {
      spec.commandLine().getErr().println("keepcluster: " + e.getMessage());
      return 1;
    }
  }

  private int unknown(UserDirectoryFile file) {
    spec.commandLine().getErr().println("keepcluster: no user " + name + " in " + file.path());
    return EXIT_UNKNOWN_USER;
  }
}
