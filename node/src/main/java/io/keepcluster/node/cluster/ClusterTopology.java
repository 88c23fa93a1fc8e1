package io.keepcluster.node.cluster;

import io.keepcluster.node.config.NodeConfig;
import io.keepcluster.node.grid.Grid;
import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.keys.KeysetScan;
import io.keepcluster.node.keys.lifecycle.KeysetLifecycle;
import io.keepcluster.node.keys.lifecycle.KeysetPersistence;
import io.keepcluster.node.keys.lifecycle.KeysetPlanner;
import io.keepcluster.node.management.KeysetRetirer;
import io.keepcluster.node.management.KeysetRevoker;
import io.keepcluster.node.providers.replication.ProviderStore;
import io.keepcluster.node.status.ClusterView;
import io.keepcluster.node.status.ProblemReporter;
import io.keepcluster.node.status.Problems;
import io.keepcluster.node.tokens.Revocations;
import io.keepcluster.node.topology.Topology;
import io.keepcluster.node.users.LockoutRegistry;
import io.keepcluster.node.users.UserAudit;
import io.keepcluster.node.users.UserChangeEffects;
import io.keepcluster.node.users.UserDirectory;
import io.keepcluster.shared.cluster.ClusterSecret;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A cluster member: users, lockouts, logouts and keysets shared through the sealed grid. */
public final class ClusterTopology implements Topology {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterTopology.class);
  /** How long a new keyset waits for a silent member's acknowledgement before it signs anyway. */
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SYNC_EVERY = Duration.ofMillis(500);
  /** How long a node starting beside running members waits to prove its secret before serving. */
  private static final Duration CONFIRM_WAIT = Duration.ofSeconds(15);

  static final String KEYSETS = "keepcluster.keysets";
  static final String ACKS = "keepcluster.keyset-acks";
  static final String USERS = "keepcluster.users";
  static final String LOCKOUTS = "keepcluster.lockouts";
  static final String MANAGEMENT_LOCKOUTS = "keepcluster.management-lockouts";
  static final String LOGOUTS = "keepcluster.logouts";
  static final String USER_CUTOFFS = "keepcluster.user-cutoffs";
  static final String PROVIDERS = "keepcluster.providers";

  private final Grid grid;
  private final KeysetLifecycle keysets;
  private final UserDirectory users;
  private final ClusterLockouts lockouts;
  private final ClusterLockouts managementLockouts;
  private final ClusterRevocations revocations;
  private final GridProviderStore providers;

  private ClusterTopology(Grid grid, KeysetLifecycle keysets, UserDirectory users,
      ClusterLockouts lockouts, ClusterLockouts managementLockouts, ClusterRevocations revocations,
      GridProviderStore providers) {
    this.grid = grid;
    this.keysets = keysets;
    this.users = users;
    this.lockouts = lockouts;
    this.managementLockouts = managementLockouts;
    this.revocations = revocations;
    this.providers = providers;
  }

  /** Joins the cluster and runs the first keyset pass; blocks for as long as that takes. */
  public static ClusterTopology start(NodeConfig config, String nodeId, KeysetRegistry registry,
      Problems problems, ProblemReporter keysetProblems, Clock clock) throws Exception {
    long started = System.nanoTime();
    JsonObject kubernetes = config.raw().getJsonObject("cluster", new JsonObject())
        .getJsonObject("kubernetes", new JsonObject());
    ClusterSecret secret = config.cluster().secret().orElseThrow();
    long deriving = System.nanoTime();
    byte[] master = secret.deriveKey(config.cluster().name());
    LOG.info("event=cluster_key_derived kdf=argon2id memory_kib={} iterations={} ms={}",
        ClusterSecret.MEMORY_KIB, ClusterSecret.ITERATIONS, (System.nanoTime() - deriving) / 1_000_000);
    Grid grid = Grid.start(config.cluster(), nodeId, kubernetes, subKey(master, "grid records"),
        problems, clock);
    LOG.info("event=cluster_joined node={} cluster={} port={} join_ms={}", nodeId, grid.name(),
        grid.port(), (System.nanoTime() - started) / 1_000_000);
    try {
      // Before the confirmation, whose upkeep pass fills it: the first provider pass then sees
      // the cluster's records and does not undo edits made while this node was away.
      GridProviderStore providers = new GridProviderStore(grid.map(PROVIDERS, "provider"));
      // Likewise the users: a node that was down while a user was removed must hold the
      // tombstone before its first pass reads its own (older) file.
      ClusterUserReplica userReplica = new ClusterUserReplica(grid.map(USERS, "user"));
      if (!grid.awaitConfirmed(CONFIRM_WAIT)) {
        LOG.error("event=cluster_secret_unconfirmed node={} action=applying_and_publishing_nothing", nodeId);
      }
      GridKeysetStore store = new GridKeysetStore(grid, grid.map(KEYSETS, "keyset"),
          grid.map(ACKS, "keyset-ack"), clock);
      KeysetLifecycle sync = new KeysetLifecycle(nodeId, store, registry,
          new KeysetPersistence(config.configDir()), keysetProblems,
          new KeysetPlanner(nodeId, ACK_TIMEOUT, config.tokens().maxDuration(),
              config.rolloverLead()), clock,
          () -> grid.trust().confirmed());
      sync.start(SYNC_EVERY);
      ClusterLockouts lockouts = new ClusterLockouts(grid.map(LOCKOUTS, "lockout"), config.lockout(), clock);
      ClusterRevocations revocations = new ClusterRevocations(grid.map(LOGOUTS, "logout"),
          grid.map(USER_CUTOFFS, "user-cutoff"), config.tokens().leeway(), config.tokens().maxDuration());
      UserDirectory users = new UserDirectory(new UserDirectoryFile(config.configDir(), clock), userReplica,
          new UserChangeEffects(lockouts, revocations, new UserAudit(nodeId), clock), clock);
      ClusterTopology topology = new ClusterTopology(grid, sync, users, lockouts,
          new ClusterLockouts(grid.map(MANAGEMENT_LOCKOUTS, "management-lockout"), config.lockout(), clock),
          revocations, providers);
      long loading = System.nanoTime();
      users.start();
      LOG.info("event=user_directory_ready node={} users={} ms={}", nodeId, users.users().size(),
          (System.nanoTime() - loading) / 1_000_000);
      return topology;
    } catch (Exception e) {
      grid.close();
      throw e;
    }
  }

  /** One independent key per purpose from the memory-hard master key (HKDF-SHA256 expand). */
  private static byte[] subKey(byte[] master, String purpose) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(master, null, ("keepcluster " + purpose).getBytes(StandardCharsets.UTF_8)));
    byte[] key = new byte[32];
    hkdf.generateBytes(key, 0, key.length);
    return key;
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
    return grid;
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
  public KeysetRetirer retirer() {
    return keysets::retire;
  }

  @Override
  public ProviderStore providers() {
    return providers;
  }

  @Override
  public void awaitInitialSync() throws Exception {
    keysets.passNow().get(60, TimeUnit.SECONDS);
  }

  @Override
  public int clusterPort() {
    return grid.port();
  }

  @Override
  public void close() {
    users.close();
    keysets.close();
    grid.close();
  }
}
