package io.keepcluster.node.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import io.keepcluster.node.config.ClusterSettings;
import io.keepcluster.shared.cluster.ClusterSecret;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The embedded member's configuration keeps the promises the README makes to operators. */
class GridMemberConfigTest {

  private static Config config(boolean kubernetes) {
    ClusterSettings settings = new ClusterSettings("prod", List.of("10.0.0.1:5701", "10.0.0.2:5701"),
        5702, Optional.of("127.0.0.1"), kubernetes, Optional.of(ClusterSecret.generate(new SecureRandom())));
    return GridMember.config(settings, "node1",
        new JsonObject().put("service-name", "keepcluster-hz").put("namespace", "prod"));
  }

  @Test
  @DisplayName("TCP-IP join with the configured members; multicast, auto-detection, phone-home, Hazelcast's metrics and health monitor off")
  void tcpIpOnly() {
    Config config = config(false);
    JoinConfig join = config.getAdvancedNetworkConfig().getJoin();

    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertFalse(join.getKubernetesConfig().isEnabled());
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    assertFalse(config.getMetricsConfig().isEnabled(), "Hazelcast's own metrics collection");
    assertEquals("OFF", config.getProperty("hazelcast.health.monitoring.level"));
  }

  @Test
  @DisplayName("the member binds the configured interface and port, with the cluster name and node id")
  void addressAndIdentity() {
    Config config = config(false);

    assertEquals("prod", config.getClusterName());
    ServerSocketEndpointConfig members = memberEndpoint(config);
    assertEquals(5702, members.getPort());
    assertFalse(members.isPortAutoIncrement());
    assertTrue(members.getInterfaces().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(members.getInterfaces().getInterfaces()));
    assertEquals("node1", config.getMemberAttributeConfig().getAttribute(GridMember.NODE_ATTRIBUTE));
  }

  @Test
  @DisplayName("Kubernetes discovery replaces the member list and takes its properties from the config")
  void kubernetes() {
    JoinConfig join = config(true).getAdvancedNetworkConfig().getJoin();

    assertTrue(join.getKubernetesConfig().isEnabled());
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertEquals("keepcluster-hz", join.getKubernetesConfig().getProperty("service-name"));
    assertEquals("prod", join.getKubernetesConfig().getProperty("namespace"));
  }

  @Test
  @DisplayName("keysets and users survive a split-brain heal from both sides (put-if-absent merge, 2 backups)")
  void mergePolicy() {
    Config config = config(false);
    for (String map : List.of("keepcluster.keysets", "keepcluster.users", "keepcluster.logouts")) {
      assertEquals(PutIfAbsentMergePolicy.class.getName(),
          config.getMapConfig(map).getMergePolicyConfig().getPolicy(), map);
      assertEquals(2, config.getMapConfig(map).getBackupCount(), map);
    }
  }

  @Test
  @DisplayName("only the member protocol is open: no client, REST or memcache endpoint")
  void memberEndpointOnly() {
    Config config = config(false);

    assertTrue(config.getAdvancedNetworkConfig().isEnabled());
    assertEquals(Set.of(EndpointQualifier.MEMBER), config.getAdvancedNetworkConfig().getEndpointConfigs().keySet());
  }

  private static ServerSocketEndpointConfig memberEndpoint(Config config) {
    return (ServerSocketEndpointConfig) config.getAdvancedNetworkConfig().getEndpointConfigs()
        .get(EndpointQualifier.MEMBER);
  }

  @Test
  @DisplayName("a frozen member is noticed within seconds, and a healed split merges within seconds")
  void fastFailureDetection() {
    Config config = config(false);

    assertEquals("5", config.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals("5", config.getProperty("hazelcast.merge.first.run.delay.seconds"));
  }
}
