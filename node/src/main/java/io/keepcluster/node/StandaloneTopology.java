package io.keepcluster.node;

import io.keepcluster.node.config.NodeConfig;
import io.keepcluster.node.status.ClusterView;
import io.keepcluster.node.status.ProblemReporter;
import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.keys.KeysetScan;
import io.keepcluster.node.keys.lifecycle.InMemoryKeysetStore;
import io.keepcluster.node.keys.lifecycle.KeysetLifecycle;
import io.keepcluster.node.keys.lifecycle.KeysetPersistence;
import io.keepcluster.node.keys.lifecycle.KeysetPlanner;
import io.keepcluster.node.management.KeysetRetirer;
import io.keepcluster.node.management.KeysetRevoker;
import io.keepcluster.node.providers.replication.InMemoryProviderStore;
import io.keepcluster.node.providers.replication.ProviderStore;
import io.keepcluster.node.tokens.LocalRevocations;
import io.keepcluster.node.topology.Topology;
import io.keepcluster.node.tokens.Revocations;
import io.keepcluster.node.users.LocalLockouts;
import io.keepcluster.node.users.LockoutRegistry;
import io.keepcluster.node.users.UserAudit;
import io.keepcluster.node.users.UserChangeEffects;
import io.keepcluster.node.users.UserDirectory;
import io.keepcluster.node.users.UserReplica;
import io.keepcluster.shared.users.UserDirectoryFile;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** A node on its own: users from its file, lockouts and logouts in memory, keysets from its folder. */
final class StandaloneTopology implements Topology {

  /** Backstop pass (expiry of retired keysets); scans and revocations run a pass at once. */
  private static final Duration TICK = Duration.ofSeconds(1);

  private final UserDirectory users;
  private final LocalLockouts lockouts;
  private final LocalLockouts managementLockouts;
  private final LocalRevocations revocations;
  private final ClusterView view;
  private final KeysetLifecycle lifecycle;
  private final InMemoryProviderStore providers;

  StandaloneTopology(NodeConfig config, String nodeId, KeysetRegistry keysets, ProblemReporter problems,
      Clock clock) {
    this.lockouts = new LocalLockouts(config.lockout(), clock);
    this.managementLockouts = new LocalLockouts(config.lockout(), clock);
    this.revocations = new LocalRevocations(clock, config.tokens().maxDuration());
    this.users = new UserDirectory(new UserDirectoryFile(config.configDir(), clock), UserReplica.NONE,
        new UserChangeEffects(lockouts, revocations, new UserAudit(nodeId), clock), clock);
    this.view = new SingleNodeCluster(config.cluster().name(), nodeId);
    this.providers = new InMemoryProviderStore(nodeId, clock);
    // Alone, the node is a cluster of one: every member (itself) verifies a new keyset at once,
    // so it signs as soon as the rollover lead (JWKS caches) has passed.
    this.lifecycle = new KeysetLifecycle(nodeId, new InMemoryKeysetStore(nodeId), keysets,
        new KeysetPersistence(config.configDir()), problems,
        new KeysetPlanner(nodeId, Duration.ZERO, config.tokens().maxDuration(),
            config.rolloverLead()), clock, () -> true);
  }

  /** A standalone topology with its keyset lifecycle running (first pass done). */
  static StandaloneTopology start(NodeConfig config, String nodeId, KeysetRegistry keysets,
      ProblemReporter problems, Clock clock) throws Exception {
    StandaloneTopology topology = new StandaloneTopology(config, nodeId, keysets, problems, clock);
    topology.users.start();
    topology.lifecycle.start(TICK);
    return topology;
  }

  @Override
  public UserDirectory users() {
    return users;
  }

  @Override
  public LockoutRegistry lockouts() {
    return lockouts;
  }

  @Override
  public LockoutRegistry managementLockouts() {
    return managementLockouts;
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
    return lifecycle;
  }

  /** Alone, revoking means deleting the keyset's files and forgetting it. */
  @Override
  public KeysetRevoker revoker() {
    return lifecycle::revoke;
  }

  @Override
  public KeysetRetirer retirer() {
    return lifecycle::retire;
  }

  @Override
  public ProviderStore providers() {
    return providers;
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
    users.close();
    lifecycle.close();
  }
}
