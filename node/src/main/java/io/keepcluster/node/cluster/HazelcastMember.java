package io.keepcluster.node.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import io.keepcluster.node.config.ClusterSettings;
import io.keepcluster.node.status.ClusterView;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * The embedded Hazelcast member of a node: TCP-IP member list (or Kubernetes discovery), never
 * multicast or auto-detection, no phone-home. Heartbeats and split-brain merges are tuned for
 * seconds rather than Hazelcast's minutes, so a frozen node is noticed and a healed partition
 * merges quickly.
 */
public final class HazelcastMember implements ClusterView {

  public static final String NODE_ATTRIBUTE = "keepcluster.node";
  public static final String KEYSETS = "keepcluster.keysets";
  public static final String ACKS = "keepcluster.keyset-acks";
  public static final String REVOKED = "keepcluster.keysets-revoked";
  public static final String USERS = "keepcluster.users";
  public static final String LOCKOUTS = "keepcluster.lockouts";
  public static final String LOGOUTS = "keepcluster.logouts";
  public static final String META = "keepcluster.meta";

  private final HazelcastInstance instance;
  private final String name;

  private HazelcastMember(HazelcastInstance instance, String name) {
    this.instance = instance;
    this.name = name;
  }

  /** Starts the member and joins the cluster; blocks until joined (or alone after the join timeout). */
  public static HazelcastMember start(ClusterSettings settings, String nodeId, JsonObject kubernetes) {
    return new HazelcastMember(Hazelcast.newHazelcastInstance(config(settings, nodeId, kubernetes)),
        settings.name());
  }

  static Config config(ClusterSettings settings, String nodeId, JsonObject kubernetes) {
    Config config = new Config();
    config.setClusterName(settings.name());
    config.setInstanceName("keepcluster-" + nodeId);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.partition.count", "31");
    config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeId);

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(false);
    settings.networkInterface().ifPresent(iface -> {
      config.setProperty("hazelcast.socket.bind.any", "false");
      network.getInterfaces().setEnabled(true).addInterface(iface);
    });
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

    // Keysets, users and revocations: every member keeps a backup, and after a split-brain heal
    // entries from both sides survive (an existing NAME keeps the copy the larger side had).
    for (String map : List.of(KEYSETS, ACKS, REVOKED, USERS, META)) {
      MapConfig mapConfig = new MapConfig(map).setBackupCount(2);
      mapConfig.getMergePolicyConfig().setPolicy(PutIfAbsentMergePolicy.class.getName());
      config.addMapConfig(mapConfig);
    }
    config.addMapConfig(new MapConfig(LOCKOUTS).setBackupCount(2));
    return config;
  }

  public HazelcastInstance instance() {
    return instance;
  }

  public String localNodeId() {
    return nodeId(instance.getCluster().getLocalMember());
  }

  public int port() {
    return instance.getCluster().getLocalMember().getAddress().getPort();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> members() {
    if (!instance.getLifecycleService().isRunning()) {
      return List.of(localNodeId());
    }
    return instance.getCluster().getMembers().stream().map(HazelcastMember::nodeId)
        .filter(Objects::nonNull).sorted().toList();
  }

  static String nodeId(Member member) {
    String id = member.getAttribute(NODE_ATTRIBUTE);
    return id != null ? id : member.getUuid().toString();
  }

  public void shutdown() {
    if (instance.getLifecycleService().isRunning()) {
      instance.shutdown();
    }
  }
}
