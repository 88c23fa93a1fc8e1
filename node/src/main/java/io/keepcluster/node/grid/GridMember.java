package io.keepcluster.node.grid;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import io.keepcluster.node.config.ClusterSettings;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's embedded Hazelcast member, kept alive: if it is shut down by anything but this node
 * (another member's {@code Cluster.shutdown()}, an internal failure), the node is told at once
 * ({@link #connected()} turns false) and a new member is started and joins again by itself, with
 * a growing pause between attempts. Everything that uses the grid registers with
 * {@link #onJoin} and re-attaches to each new instance.
 *
 * <p>The member listens on the MEMBER endpoint only (advanced network config): no client, REST or
 * memcache protocol is open, so no Hazelcast client can connect at all. TCP-IP member list (or
 * Kubernetes discovery), never multicast or auto-detection, no phone-home.
 */
public final class GridMember implements AutoCloseable {

  public static final String NODE_ATTRIBUTE = "keepcluster.node";
  /** The node's version and its process start: shown on the console's Cluster page, nothing relies on them. */
  public static final String VERSION_ATTRIBUTE = "keepcluster.version";
  public static final String STARTED_ATTRIBUTE = "keepcluster.started";
  private static final Logger LOG = LoggerFactory.getLogger(GridMember.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration LONGEST_RETRY = Duration.ofSeconds(10);

  private final Config config;
  private final String nodeId;
  private final String clusterName;
  private final List<Consumer<HazelcastInstance>> joinListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Optional<String>>> lossListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService maintenance;
  private final AtomicInteger rejoins = new AtomicInteger();
  private volatile HazelcastInstance instance;
  private volatile boolean connected;
  private volatile boolean closing;
  private volatile int boundPort;

  private GridMember(Config config, String nodeId, String clusterName) {
    this.config = config;
    this.nodeId = nodeId;
    this.clusterName = clusterName;
    this.maintenance = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "keepcluster-grid");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts the member and joins the cluster; blocks until joined (or alone after the join timeout). */
  public static GridMember start(ClusterSettings settings, String nodeId, JsonObject kubernetes) {
    GridMember member = new GridMember(config(settings, nodeId, kubernetes), nodeId, settings.name());
    member.instance = member.newInstance();
    member.boundPort = member.instance.getCluster().getLocalMember().getAddress().getPort();
    // A rejoin must come back on the port the others list for this node.
    member.config.getAdvancedNetworkConfig().getEndpointConfigs().values().stream()
        .filter(ServerSocketEndpointConfig.class::isInstance).map(ServerSocketEndpointConfig.class::cast)
        .forEach(endpoint -> endpoint.setPort(member.boundPort));
    member.connected = true;
    return member;
  }

  static Config config(ClusterSettings settings, String nodeId, JsonObject kubernetes) {
    Config config = new Config();
    config.setClusterName(settings.name());
    config.setInstanceName("keepcluster-" + nodeId);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A graceful leave hands this member's partitions over; bound it (Hazelcast's default is 600 s)
    // so a stopping node cannot outlive a systemd or Kubernetes stop timeout waiting for a peer.
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "20");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.partition.count", "31");
    // Hazelcast's own metrics (collected every 5 s for Management Center, which is never attached)
    // and its health monitor (a check every 20 s): nothing reads them, an idle node pays for them.
    config.getMetricsConfig().setEnabled(false);
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeId);
    String version = GridMember.class.getPackage().getImplementationVersion();
    config.getMemberAttributeConfig().setAttribute(VERSION_ATTRIBUTE, version == null ? "dev" : version);
    config.getMemberAttributeConfig().setAttribute(STARTED_ATTRIBUTE,
        Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()).toString());

    // Advanced networking with the MEMBER endpoint only: no CLIENT endpoint means no client protocol.
    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
    ServerSocketEndpointConfig members = new ServerSocketEndpointConfig();
    members.setPort(settings.port()).setPortAutoIncrement(false);
    settings.networkInterface().ifPresent(iface -> {
      config.setProperty("hazelcast.socket.bind.any", "false");
      members.getInterfaces().setEnabled(true).addInterface(iface);
    });
    network.setMemberEndpointConfig(members);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (settings.kubernetes()) {
      join.getKubernetesConfig().setEnabled(true);
      for (String key : kubernetes.fieldNames()) {
        if (!"enabled".equals(key)) {
          join.getKubernetesConfig().setProperty(key, String.valueOf(kubernetes.getValue(key)));
        }
      }
    } else {
      join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(settings.members());
    }
    // Every member keeps a backup of every record; after a split-brain heal the entries of both
    // sides survive, and the sealed maps settle on the newest authentic record of each key.
    MapConfig sealed = new MapConfig("keepcluster.*").setBackupCount(2);
    sealed.getMergePolicyConfig().setPolicy(PutIfAbsentMergePolicy.class.getName());
    config.addMapConfig(sealed);
    return config;
  }

  /** The running instance, or empty while the member is lost and rejoining. */
  public Optional<HazelcastInstance> running() {
    HazelcastInstance current = instance;
    return connected && current != null && current.getLifecycleService().isRunning()
        ? Optional.of(current) : Optional.empty();
  }

  /** True while the embedded member runs and is part of a cluster. */
  public boolean connected() {
    return running().isPresent();
  }

  /** How many times the member was lost and started again since the node started. */
  public int rejoins() {
    return rejoins.get();
  }

  /** Runs {@code listener} for the current instance now and for every later one. */
  public void onJoin(Consumer<HazelcastInstance> listener) {
    joinListeners.add(listener);
    running().ifPresent(listener);
  }

  /**
   * Tells {@code listener} why the member was lost (at once, on the thread that noticed) and
   * {@code Optional.empty()} once a new member has joined.
   */
  public void onLoss(Consumer<Optional<String>> listener) {
    lossListeners.add(listener);
  }

  /** The single thread for grid upkeep (reconcile passes, repairs); blocking calls belong here. */
  public ScheduledExecutorService maintenance() {
    return maintenance;
  }

  public String nodeId() {
    return nodeId;
  }

  public String clusterName() {
    return clusterName;
  }

  public int port() {
    return boundPort;
  }

  private HazelcastInstance newInstance() {
    // A fresh name per start: the lost instance may still be finishing its shutdown.
    config.setInstanceName("keepcluster-" + nodeId + (rejoins.get() == 0 && instance == null ? "" : "-" + UUID.randomUUID()));
    HazelcastInstance created = Hazelcast.newHazelcastInstance(config);
    created.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("event=member_joined node={} member={} address={}", nodeId,
            event.getMember().getAttribute(NODE_ATTRIBUTE), event.getMember().getAddress());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        // Graceful leaves show up here at once; a crashed member only after its heartbeat timeout.
        LOG.info("event=member_left node={} member={} address={}", nodeId,
            event.getMember().getAttribute(NODE_ATTRIBUTE), event.getMember().getAddress());
      }
    });
    created.getLifecycleService().addLifecycleListener(event -> {
      LifecycleState state = event.getState();
      if ((state == LifecycleState.SHUTTING_DOWN || state == LifecycleState.SHUTDOWN) && !closing
          && instance == created) {
        lost("member " + state.name().toLowerCase());
      } else if (state == LifecycleState.MERGED) {
        LOG.info("event=grid_merged node={} action=resync", nodeId);
        maintenance.execute(() -> joinListeners.forEach(l -> l.accept(created)));
      }
    });
    return created;
  }

  private synchronized void lost(String why) {
    if (!connected || closing) {
      return;
    }
    connected = false;
    LOG.error("event=grid_lost node={} reason=\"{}\" action=rejoining ready=false", nodeId, why);
    lossListeners.forEach(listener -> listener.accept(Optional.of(why)));
    maintenance.execute(() -> rejoin(FIRST_RETRY));
  }

  private void rejoin(Duration pause) {
    if (closing) {
      return;
    }
    try {
      HazelcastInstance old = instance;
      if (old != null && old.getLifecycleService().isRunning()) {
        old.getLifecycleService().terminate();
      }
      long started = System.nanoTime();
      HazelcastInstance created = newInstance();
      instance = created;
      connected = true;
      int count = rejoins.incrementAndGet();
      LOG.info("event=grid_rejoined node={} rejoins={} members={} join_ms={}", nodeId, count,
          created.getCluster().getMembers().size(), (System.nanoTime() - started) / 1_000_000);
      joinListeners.forEach(listener -> listener.accept(created));
      lossListeners.forEach(listener -> listener.accept(Optional.empty()));
    } catch (RuntimeException e) {
      Duration next = pause.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause.multipliedBy(2);
      LOG.warn("event=grid_rejoin_failed node={} reason=\"{}\" retry_in_ms={}", nodeId, e.toString(), pause.toMillis());
      maintenance.schedule(() -> rejoin(next), pause.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    closing = true;
    maintenance.shutdownNow();
    HazelcastInstance current = instance;
    if (current != null && current.getLifecycleService().isRunning()) {
      current.shutdown();
    }
  }
}
