package io.keepcluster.node;

import io.keepcluster.node.config.NodeConfig;
import io.keepcluster.node.health.ClusterView;
import io.keepcluster.node.health.ProblemReporter;
import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.keys.KeysetScan;
import io.keepcluster.node.keys.LocalKeysetApplier;
import io.keepcluster.node.management.KeysetRevoker;
import io.keepcluster.node.tokens.LocalRevocations;
import io.keepcluster.node.tokens.Revocations;
import io.keepcluster.node.users.FileUserDirectory;
import io.keepcluster.node.users.LocalLockouts;
import io.keepcluster.node.users.LockoutRegistry;
import io.keepcluster.node.users.UserLookup;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetName;
import io.keepcluster.shared.users.UserDirectoryFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.function.Consumer;

/** A node on its own: users from its file, lockouts and logouts in memory, keysets from its folder. */
final class StandaloneTopology implements Topology {

  private final NodeConfig config;
  private final KeysetRegistry keysets;
  private final FileUserDirectory users;
  private final LocalLockouts lockouts;
  private final LocalRevocations revocations;
  private final ClusterView view;
  private final LocalKeysetApplier applier;

  StandaloneTopology(NodeConfig config, String nodeId, KeysetRegistry keysets, ProblemReporter problems,
      Clock clock) {
    this.config = config;
    this.keysets = keysets;
    this.users = new FileUserDirectory(new UserDirectoryFile(config.configDir()));
    this.lockouts = new LocalLockouts(config.lockout(), clock);
    this.revocations = new LocalRevocations(clock);
    this.view = new SingleNodeCluster(config.cluster().name(), nodeId);
    this.applier = new LocalKeysetApplier(keysets, problems);
  }

  @Override
  public UserLookup users() {
    return users;
  }

  @Override
  public LockoutRegistry lockouts() {
    return lockouts;
  }

  @Override
  public Revocations revocations() {
    return revocations;
  }

  @Override
  public ClusterView clusterView() {
    return view;
  }

  @Override
  public Consumer<KeysetScan> keysetSink() {
    return applier;
  }

  /** Alone, revoking means deleting the keyset's files and forgetting it. */
  @Override
  public KeysetRevoker revoker() {
    return kid -> {
      if (!KeysetName.isValid(kid) || keysets.get(kid).isEmpty()) {
        return false;
      }
      try {
        KeysetFiles.deleteFrom(config.configDir(), KeysetName.of(kid));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      keysets.remove(kid);
      return true;
    };
  }

  @Override
  public void awaitInitialSync() {
    // Nothing to wait for: the first scan has been applied by the time the watcher started.
  }

  @Override
  public int clusterPort() {
    return 0;
  }

  @Override
  public void close() {
    // Nothing outlives the node.
  }
}
