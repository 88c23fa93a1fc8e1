package io.keepcluster.node.grid;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.keepcluster.node.config.ClusterSettings;
import io.keepcluster.node.status.Problems;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sealed grid against real Hazelcast members in this JVM: two nodes that hold the key, and a
 * plain Hazelcast member that joins with the cluster name only and writes what it likes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SealedGridTest {

  private static final Duration SOON = Duration.ofSeconds(20);

  private final String clusterName = "grid-test-" + UUID.randomUUID();
  private final byte[] key = new byte[32];
  private final List<Integer> ports = new ArrayList<>();
  private final Problems problemsA = new Problems();
  private final Problems problemsB = new Problems();
  private Grid a;
  private Grid b;
  private SealedMap usersA;
  private SealedMap usersB;
  private HazelcastInstance rogue;

  @BeforeAll
  void startGrid() throws Exception {
    new SecureRandom().nextBytes(key);
    for (int i = 0; i < 3; i++) {
      ports.add(freePort());
    }
    a = Grid.start(settings(ports.get(0)), "nodeA", new JsonObject(), key, problemsA, Clock.systemUTC());
    b = Grid.start(settings(ports.get(1)), "nodeB", new JsonObject(), key, problemsB, Clock.systemUTC());
    usersA = a.map("keepcluster.test-users", "user");
    usersB = b.map("keepcluster.test-users", "user");
    assertTrue(a.awaitConfirmed(SOON) && b.awaitConfirmed(SOON), "both nodes prove the secret");
    rogue = Hazelcast.newHazelcastInstance(rogueConfig());
    await("the rogue joins").atMost(SOON).until(() -> a.member().running().orElseThrow().getCluster().getMembers().size() == 3);
  }

  @AfterAll
  void stopGrid() {
    if (rogue != null) {
      rogue.getLifecycleService().terminate();
    }
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  @DisplayName("a record written on one node is read on the other, and its value is not readable in the grid")
  void recordsTravelSealed() {
    usersA.put("alice", new JsonObject().put("dn", "CN=Alice/O=Acme"));

    await().atMost(SOON).until(() -> usersB.get("alice").isPresent());
    assertEquals("CN=Alice/O=Acme", usersB.get("alice").orElseThrow().getString("dn"));
    String raw = rogueMap().get("alice");
    assertFalse(raw.contains("Alice"), raw);
  }

  @Test
  @DisplayName("a value forged by a member without the key is never applied and the real record is put back")
  void forgeryIsRefusedAndRepaired() {
    usersA.put("bob", new JsonObject().put("scope", "MAIL"));
    await().atMost(SOON).until(() -> usersB.get("bob").isPresent());
    String real = rogueMap().get("bob");

    rogueMap().put("bob", new JsonObject().put("scope", "ADMIN").encode());
    rogueMap().put("mallory", real);

    await("the real record is back").atMost(SOON).until(() -> real.equals(rogueMap().get("bob")));
    assertEquals("MAIL", usersB.get("bob").orElseThrow().getString("scope"));
    assertTrue(usersA.get("mallory").isEmpty() && usersB.get("mallory").isEmpty(), "a copy under another key opens nowhere");
    assertTrue(a.audit().count(GridAudit.Offence.UNAUTHENTICATED) > 0);
  }

  @Test
  @DisplayName("a removed or cleared entry is put back: there is no delete without an authentic record")
  void removalIsRepaired() {
    usersA.put("carol", new JsonObject().put("scope", "MAIL"));
    await().atMost(SOON).until(() -> rogueMap().containsKey("carol") && usersB.get("carol").isPresent());

    rogueMap().remove("carol");
    await("the removed record is back").atMost(SOON).until(() -> rogueMap().containsKey("carol"));
    rogueMap().clear();
    await("the cleared map is refilled").atMost(SOON).until(() -> rogueMap().containsKey("carol"));
    assertTrue(usersB.get("carol").isPresent());
  }

  @Test
  @DisplayName("an older authentic record put back (a replay) is not applied and the newer one is restored")
  void replayIsRefused() {
    usersA.put("dave", new JsonObject().put("enabled", true));
    await().atMost(SOON).until(() -> usersB.get("dave").map(v -> v.getBoolean("enabled")).orElse(false));
    String older = rogueMap().get("dave");
    usersA.put("dave", new JsonObject().put("enabled", false));
    await().atMost(SOON).until(() -> !usersB.get("dave").orElseThrow().getBoolean("enabled"));
    String newer = rogueMap().get("dave");

    rogueMap().put("dave", older);

    await("the newer record is back").atMost(SOON).until(() -> newer.equals(rogueMap().get("dave")));
    assertFalse(usersB.get("dave").orElseThrow().getBoolean("enabled"));
    assertFalse(usersA.get("dave").orElseThrow().getBoolean("enabled"));
  }

  @Test
  @DisplayName("the member without the key is listed as an intruder and named in the problems; it is not a trusted member")
  void intruderIsNamed() {
    String address = "127.0.0.1:" + ports.get(2);
    await().atMost(SOON).untilAsserted(() -> {
      assertTrue(a.intruders().stream().anyMatch(i -> i.member().equals(address)), a.intruders().toString());
      assertTrue(problemsA.all().stream().anyMatch(p -> p.error().contains(address)), problemsA.all().toString());
    });
    assertEquals(List.of("nodeA", "nodeB"), a.members());
    assertTrue(a.ready());
  }

  @Test
  @DisplayName("a record expires everywhere with its own deadline, and its expiry is no tampering")
  void recordsExpire() {
    usersA.put("erin", new JsonObject(), Optional.of(java.time.Instant.now().plusMillis(300)));
    await().atMost(SOON).until(() -> usersA.get("erin").isEmpty());
    assertTrue(usersB.get("erin").isEmpty());
  }

  @Test
  @DisplayName("a map a node opens after the records were written holds them at once, without waiting for an event or the backstop read")
  void mapOpenedLateHoldsExistingRecords() {
    SealedMap logoutsA = a.map("keepcluster.test-late", "logout");
    logoutsA.put("jti-1", new JsonObject().put("until", 42));
    await().atMost(SOON).until(() -> rogue.getMap("keepcluster.test-late").containsKey("jti-1"));

    SealedMap logoutsB = b.map("keepcluster.test-late", "logout");

    assertEquals(42, logoutsB.get("jti-1").orElseThrow().getInteger("until"));
  }

  @Test
  @DisplayName("admission records removed or overwritten by a member without the key are put back, and both nodes stay trusted and ready")
  void admissionRecordsAreRepaired() {
    IMap<String, String> admissions = rogue.getMap(Admissions.MAP);
    await().atMost(SOON).until(() -> admissions.size() >= 2);
    java.util.Map<String, String> real = new java.util.HashMap<>(admissions);

    admissions.clear();
    real.keySet().forEach(k -> admissions.put(k, new JsonObject().put("node", "nodeA").encode()));

    await("the real admission records are back").atMost(SOON)
        .until(() -> real.keySet().stream().allMatch(k -> real.get(k).equals(admissions.get(k))));
    assertEquals(List.of("nodeA", "nodeB"), a.members());
    assertEquals(List.of("nodeA", "nodeB"), b.members());
    assertTrue(a.ready() && b.ready(), "both nodes ready");
  }

  @Test
  @DisplayName("with nothing to wait for, the next admission pass is set for the renewal of the node's own record, not sooner")
  void nextAdmissionPassIsTheRenewal() {
    await().atMost(SOON).until(() -> a.intruders().size() == 1); // the rogue is past its grace
    Admissions admissions = (Admissions) a.trust();
    java.time.Instant now = java.time.Instant.now();
    java.time.Instant next = admissions.nextDeadline().orElseThrow();
    assertTrue(next.isAfter(now.plusSeconds(60)), "next pass " + next + " is sooner than a minute after " + now);
    assertTrue(!next.isAfter(now.plus(Duration.ofMinutes(5))), "next pass " + next + " is after the renewal");
  }

  private IMap<String, String> rogueMap() {
    return rogue.getMap("keepcluster.test-users");
  }

  private ClusterSettings settings(int port) {
    return new ClusterSettings(clusterName, members(), port, Optional.of("127.0.0.1"), false, Optional.empty());
  }

  private List<String> members() {
    return ports.stream().map(p -> "127.0.0.1:" + p).toList();
  }

  /** A member that knows the cluster name and nothing else. */
  private Config rogueConfig() {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.partition.count", "31");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.getNetworkConfig().setPort(ports.get(2)).setPortAutoIncrement(false);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).setMembers(members());
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    config.setProperty("hazelcast.socket.bind.any", "false");
    return config;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
