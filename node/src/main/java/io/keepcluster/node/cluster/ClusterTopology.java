package io.keepcluster.node.cluster;

import io.keepcluster.node.topology.Topology;
import io.keepcluster.node.config.NodeConfig;
import io.keepcluster.node.status.ClusterView;
import io.keepcluster.node.status.ProblemReporter;
import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.keys.KeysetScan;
import io.keepcluster.node.keys.lifecycle.KeysetLifecycle;
import io.keepcluster.node.keys.lifecycle.KeysetPersistence;
import io.keepcluster.node.keys.lifecycle.KeysetPlanner;
import io.keepcluster.node.management.KeysetRevoker;
import io.keepcluster.node.tokens.Revocations;
import io.keepcluster.node.users.LockoutRegistry;
import io.keepcluster.node.users.UserLookup;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A cluster member: users, lockouts, logouts and keysets shared through embedded Hazelcast. */
public final class ClusterTopology implements Topology {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterTopology.class);
  /** How long a new keyset waits for a silent member's acknowledgement before it signs anyway. */
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SYNC_EVERY = Duration.ofMillis(500);
  private static final Duration USER_SYNC_EVERY = Duration.ofMillis(500);

  private final HazelcastMember member;
  private final KeysetLifecycle keysets;
  private final ClusterUserDirectory users;
  private final ClusterLockouts lockouts;
  private final ClusterRevocations revocations;
  private final ScheduledExecutorService userSync;

  private ClusterTopology(HazelcastMember member, KeysetLifecycle keysets, ClusterUserDirectory users,
      ClusterLockouts lockouts, ClusterRevocations revocations) {
    this.member = member;
    this.keysets = keysets;
    this.users = users;
    this.lockouts = lockouts;
    this.revocations = revocations;
    this.userSync = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "keepcluster-user-sync");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Joins the cluster and runs the first keyset pass; blocks for as long as that takes. */
  public static ClusterTopology start(NodeConfig config, String nodeId, KeysetRegistry registry,
      ProblemReporter problems, Clock clock) throws Exception {
    long started = System.nanoTime();
    JsonObject kubernetes = config.raw().getJsonObject("cluster", new JsonObject())
        .getJsonObject("kubernetes", new JsonObject());
    HazelcastMember member = HazelcastMember.start(config.cluster(), nodeId, kubernetes);
    LOG.info("event=cluster_joined node={} cluster={} members={} port={} join_ms={}", nodeId,
        member.name(), member.members(), member.port(), (System.nanoTime() - started) / 1_000_000);
    try {
      ClusterCipher cipher = new ClusterCipher(config.cluster().secret().orElseThrow(), new SecureRandom());
      boolean trusted = ClusterSecretCheck.verify(member, cipher);
      KeysetLifecycle sync = new KeysetLifecycle(nodeId, new HazelcastKeysetStore(member, cipher), registry,
          new KeysetPersistence(config.configDir()), problems,
          new KeysetPlanner(nodeId, ACK_TIMEOUT, config.tokens().maxDuration()), clock, () -> trusted);
      sync.start(SYNC_EVERY);
      ClusterTopology topology = new ClusterTopology(member, sync,
          new ClusterUserDirectory(member, new UserDirectoryFile(config.configDir())),
          new ClusterLockouts(member, config.lockout(), clock),
          new ClusterRevocations(member, clock, config.tokens().leeway()));
      topology.startUserSync();
      return topology;
    } catch (Exception e) {
      member.shutdown();
      throw e;
    }
  }

  private void startUserSync() {
    if (keysets.trusted()) {
      users.sync();
      userSync.scheduleWithFixedDelay(this::syncUsersQuietly, USER_SYNC_EVERY.toMillis(),
          USER_SYNC_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void syncUsersQuietly() {
    try {
      users.sync();
    } catch (RuntimeException e) {
      LOG.warn("event=user_sync_failed reason=\"{}\"", e.toString());
    }
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
    return member;
  }

  @Override
  public Consumer<KeysetScan> keysetSink() {
    return keysets;
  }

  @Override
  public KeysetRevoker revoker() {
    return keysets::revoke;
  }

  @Override
  public void awaitInitialSync() throws Exception {
    keysets.passNow().get(60, TimeUnit.SECONDS);
  }

  @Override
  public int clusterPort() {
    return member.port();
  }

  @Override
  public void close() {
    userSync.shutdownNow();
    keysets.close();
    member.shutdown();
  }
}
