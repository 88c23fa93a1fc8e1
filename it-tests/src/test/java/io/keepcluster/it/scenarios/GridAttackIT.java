package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.Health;
import io.keepcluster.it.harness.NodeCli;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.RogueMember;
import io.keepcluster.it.harness.RogueMember.GridMap;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.Waits;
import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.password.PasswordHashingParameters;
import io.keepcluster.shared.users.UserRecord;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 7: an attacker who reaches the Hazelcast port and knows the cluster's NAME, never
 * {@code KEEP_CLUSTER_SECRET}. Each test lets a {@link RogueMember} into the grid, attacks it, and
 * asserts only what the nodes show from outside (HTTP answers, files, {@code /health}); map names
 * and values are opaque, found at run time by name fragments. The rogue leaves after each test.
 * The whole-cluster shutdown attack has its own class ({@code GridShutdownIT}).
 */
@DisplayName("Issue 7: a member that knows the cluster name but not the secret")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GridAttackIT extends ThreeNodeCluster {

  private static final Duration STAYS = Duration.ofSeconds(5);
  /** Readable key material and identities that must never be in the grid. */
  private static final List<String> SECRETS_MARKERS = List.of("$argon2", "$2a$", "$2b$", "$2y$", "PRIVATE KEY",
      "CN=admin/O=KeepCluster");
  /** {@code CN=} followed by a name (so the '=' padding of Base64 ciphertext never matches). */
  private static final Pattern DN = Pattern.compile("CN=[A-Za-z0-9]");

  private OpensslKeyset formed;
  private RogueMember rogue;

  @Override
  protected void whenFormed() {
    formed = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("Grid"));
    formed.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), formed.name(), Duration.ofSeconds(15));
  }

  @AfterEach
  void rogueLeaves() {
    if (rogue == null) {
      return;
    }
    rogue.close();
    rogue = null;
    try {
      ClusterWaits.awaitMembers(cluster.nodes(), 3, Duration.ofSeconds(30));
    } catch (ConditionTimeoutException e) {
      System.out.println("[it] after the rogue left, the nodes did not report 3 members: " + e.getMessage());
    }
  }

  @Test
  @Order(1)
  @DisplayName("a Hazelcast client that knows the cluster name cannot connect to any node")
  void noClientProtocol() {
    long start = System.nanoTime();
    HazelcastInstance client = null;
    RuntimeException refused = null;
    try {
      client = RogueMember.client(cluster, Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      refused = e;
    } finally {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      String seen = client == null ? "" : " (members it saw: " + client.getCluster().getMembers().size() + ")";
      System.out.println("[it] attack client-protocol: " + (client != null ? "CONNECTED" + seen
          : "refused with " + refused) + " after " + took.toMillis() + " ms");
      if (client != null) {
        client.shutdown();
      }
      assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "the client attempt took " + took.toSeconds() + " s");
    }
    assertNotNull(refused, "a Hazelcast client with only the cluster name connected to the grid");
  }

  @Test
  @Order(2)
  @DisplayName("a rogue member reads no password hash, no private key and no DN in any keepcluster map")
  void nothingReadable() {
    joinRogue(null);
    List<String> leaks = new ArrayList<>();
    int entries = 0;
    List<GridMap> maps = rogue.maps();
    for (GridMap map : maps) {
      for (Map.Entry<Object, Object> entry : map.entries().entrySet()) {
        entries++;
        String text = entry.getKey() + "\n" + RogueMember.readable(entry.getValue());
        for (String marker : SECRETS_MARKERS) {
          if (text.contains(marker)) {
            leaks.add(map.name() + "[" + entry.getKey() + "] contains " + marker);
          }
        }
        if (DN.matcher(text).find()) {
          leaks.add(map.name() + "[" + entry.getKey() + "] contains a DN (CN=...)");
        }
      }
    }
    System.out.println("[it] attack read-everything: " + maps.size() + " maps " + maps + ", " + entries
        + " entries, readable secrets: " + (leaks.isEmpty() ? "none" : leaks));
    assertTrue(leaks.isEmpty(), "a rogue member without the secret read from the grid: " + leaks);
  }

  @Test
  @Order(3)
  @DisplayName("node 1's /health names the rogue member (host:port) in cluster.intruders and in a problem")
  void intruderIsNamed() {
    joinRogue(null);
    List<GridMap> maps = rogue.maps();
    String probe = "rogue-probe-" + UUID.randomUUID();
    try {
      for (GridMap map : maps) {
        map.put(probe, "rogue-was-here");
      }
      System.out.println("[it] attack probe-writes: wrote key " + probe + " into " + maps.size() + " maps as "
          + rogue.address());
      assertIntruderNamed(cluster.node(1), rogue.address(), false);
    } finally {
      for (GridMap map : maps) {
        try {
          map.remove(probe);
        } catch (RuntimeException e) {
          System.out.println("[it] could not remove the probe from " + map.name() + ": " + e);
        }
      }
    }
  }

  @Test
  @Order(4)
  @DisplayName("a rogue member that calls itself node2 is not listed as a second node2, and is named as an intruder")
  void reusedNodeId() {
    joinRogue("node2");
    assertIntruderNamed(cluster.node(1), rogue.address(), true);
  }

  @Test
  @Order(5)
  @DisplayName("a user record put into the grid by a rogue member, or copied under another key, logs nobody in and reaches no users.json")
  void injectedUserIsRefused() {
    String password = "Mallory-0wns-the-grid";
    String hash = new PasswordHasher(PasswordHashingParameters.defaults()).hash(password.toCharArray());
    String forged = new UserRecord("mallory", "CN=Mallory/O=Acme", "mallory@example.com", "MAIL $DATA ADMIN", hash)
        .toJson().encode();
    joinRogue(null);
    List<GridMap> userMaps = rogue.maps("user");
    for (GridMap map : userMaps) {
      map.put("mallory", forged);
    }
    System.out.println("[it] attack inject-user: put mallory (Argon2id, scopes MAIL $DATA ADMIN) into " + userMaps);
    assertMalloryRefused(password, "injecting a user record");

    // The "copy under another key" attack: an existing (sealed or not) record, byte for byte, under the key mallory.
    List<String> copied = new ArrayList<>();
    for (GridMap map : userMaps) {
      Map<Object, Object> entries = map.entries();
      Object source = entries.containsKey(ADMIN) ? ADMIN
          : entries.keySet().stream().filter(k -> !"mallory".equals(k)).findFirst().orElse(null);
      if (source != null) {
        map.put("mallory", entries.get(source));
        copied.add(map.name() + "[" + source + "]");
      }
    }
    System.out.println("[it] attack copy-user: copied " + copied + " under key mallory");
    assertMalloryRefused(ADMIN_PASSWORD, "copying " + copied + " under the key mallory");
  }

  @Test
  @Order(6)
  @DisplayName("a lockout cleared by a rogue member stays in force: the right password is refused on every node")
  void clearedLockoutStays() {
    String password = "Carol-s3cret-pass";
    NodeCli.Result added = NodeCli.userAdd(cluster.node(1).configDir(), "carol", "CN=Carol/O=Acme", password);
    assertEquals(0, added.exitCode(), added.output());
    Waits.within(15, "carol can log in everywhere").untilAsserted(() -> {
      for (NodeProcess n : cluster.nodes()) {
        NodeClient.Reply r = n.client().login("carol", password);
        assertEquals(200, r.status(), n.id() + ": " + r.body());
      }
    });
    for (int i = 0; i < 5; i++) {
      NodeClient.Reply r = cluster.node(1).client().login("carol", "wrong-" + i);
      assertEquals(401, r.status(), "wrong password " + i + " on node1: " + r.body());
    }
    Waits.within(5, "carol locked everywhere").untilAsserted(() -> {
      for (NodeProcess n : cluster.nodes()) {
        assertEquals(401, n.client().login("carol", password).status(), "right password on " + n.id());
      }
    });

    joinRogue(null);
    Map<String, Integer> wiped = wipe(rogue.maps("lockout"));
    System.out.println("[it] attack clear-lockout: removed entries " + wiped);
    Waits.holdsFor(STAYS, "carol stays locked", () -> {
      for (NodeProcess n : cluster.nodes()) {
        NodeClient.Reply r = n.client().login("carol", password);
        assertEquals(401, r.status(), "carol (locked out) logged in on " + n.id()
            + " after a rogue member cleared the lockout maps " + wiped + ": " + brief(r.body()));
      }
    });
  }

  @Test
  @Order(7)
  @DisplayName("a logout removed from the grid by a rogue member stays in force on every node")
  void removedLogoutStays() {
    String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);
    NodeClient.Reply logout = cluster.node(1).client().logout(token);
    assertEquals(200, logout.status(), logout.body());
    Waits.within(5, "logged-out token refused everywhere").untilAsserted(() -> {
      for (NodeProcess n : cluster.nodes()) {
        assertEquals(401, n.client().userinfo(token).status(), "logged-out token on " + n.id());
      }
    });

    joinRogue(null);
    Map<String, Integer> wiped = wipe(rogue.maps("logout"));
    System.out.println("[it] attack clear-logout: removed entries " + wiped);
    Waits.holdsFor(STAYS, "logged-out token stays refused", () -> {
      for (NodeProcess n : cluster.nodes()) {
        NodeClient.Reply r = n.client().userinfo(token);
        assertEquals(401, r.status(), "a logged-out token was accepted again on " + n.id()
            + " after a rogue member cleared the logout maps " + wiped + ": " + brief(r.body()));
      }
    });
  }

  @Test
  @Order(8)
  @DisplayName("replaying a snapshot of the grid taken before a revoke does not bring the revoked keyset back")
  void replayDoesNotUnrevoke() {
    OpensslKeyset revoked = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("Replay"));
    revoked.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), revoked.name(), Duration.ofSeconds(15));
    awaitFilesEverywhere(revoked.name());
    String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);
    assertEquals(revoked.name(), NodeClient.kidOf(token));

    joinRogue(null);
    Map<String, Map<Object, Object>> snapshot = rogue.snapshot();
    NodeClient.Reply revoke = cluster.node(2).client().revoke(revoked.name());
    assertTrue(revoke.status() / 100 == 2, "revoke answered " + revoke.status() + ": " + revoke.body());
    Waits.within(10, revoked.name() + " revoked everywhere").untilAsserted(() -> {
      for (NodeProcess n : cluster.nodes()) {
        Health h = n.client().health();
        assertTrue(!h.verifying().contains(revoked.name()), h.toString());
        assertEquals(401, n.client().userinfo(token).status(), "revoked token on " + n.id());
        assertEquals(List.of(), filesPresent(n, revoked.name()), "files of the revoked keyset on " + n.id());
      }
    });

    int written = rogue.restore(snapshot);
    System.out.println("[it] attack replay: rolled " + snapshot.size() + " maps back to the snapshot taken before"
        + " the revoke of " + revoked.name() + " (" + written + " writes)");
    Waits.holdsFor(STAYS, revoked.name() + " stays revoked", () -> {
      for (NodeProcess n : cluster.nodes()) {
        String attack = " after a rogue member replayed the grid from before the revoke";
        Health h = n.client().health();
        assertTrue(!h.verifying().contains(revoked.name()),
            "revoked keyset " + revoked.name() + " verifies again on " + n.id() + attack + ": " + h);
        assertEquals(401, n.client().userinfo(token).status(),
            "a token of revoked keyset " + revoked.name() + " was accepted on " + n.id() + attack);
        assertEquals(List.of(), filesPresent(n, revoked.name()),
            "files of revoked keyset " + revoked.name() + " came back on " + n.id() + attack);
      }
    });
  }

  @Test
  @Order(9)
  @DisplayName("keyset records removed or forged by a rogue member (retired, revoked) change no signer, no token and no file")
  void forgedKeysetRecordsChangeNothing() throws Exception {
    OpensslKeyset keyset = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("Target"));
    keyset.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), keyset.name(), Duration.ofSeconds(15));
    awaitFilesEverywhere(keyset.name());
    Map<String, Map<String, String>> filesBefore = fileDigests(keyset.name());
    String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);
    assertEquals(keyset.name(), NodeClient.kidOf(token));

    joinRogue(null);
    List<GridMap> targets = rogue.maps("keyset", "revok", "ack");
    Map<String, Set<Object>> keysBefore = new LinkedHashMap<>();
    targets.forEach(m -> keysBefore.put(m.name(), m.keys()));
    // (a) delete every record, acknowledgement and tombstone
    Map<String, Integer> wiped = wipe(targets);
    // (b) forge: the plain JSON record of today's format marked RETIRED, and a revoke tombstone
    String fingerprint = fingerprint(keyset);
    String retired = retiredRecord(keyset, fingerprint);
    List<String> forged = new ArrayList<>();
    for (GridMap map : targets) {
      if (map.nameContainsAny("revok")) {
        map.put(keyset.name(), fingerprint);
        forged.add(map.name() + "[" + keyset.name() + "]=tombstone");
      } else if (!map.nameContainsAny("ack")) {
        map.put(keyset.name(), retired);
        for (Object key : keysBefore.get(map.name())) {
          map.put(key, retired);
        }
        forged.add(map.name() + "[" + keyset.name() + " and " + keysBefore.get(map.name()).size()
            + " other keys]=RETIRED");
      }
    }
    System.out.println("[it] attack keyset-records: removed " + wiped + ", forged " + forged);

    String attack = " after a rogue member removed the keyset records " + wiped + " and forged " + forged;
    Waits.holdsFor(STAYS, keyset.name() + " keeps signing", () -> {
      for (NodeProcess n : cluster.nodes()) {
        Health h = n.client().health();
        assertEquals(keyset.name(), h.signing(), n.id() + " stopped signing with " + keyset.name() + attack + ": " + h);
        NodeClient.Reply r = n.client().userinfo(token);
        assertEquals(200, r.status(), "a token of " + keyset.name() + " was refused on " + n.id() + attack);
      }
      assertEquals(filesBefore, fileDigests(keyset.name()), "files of " + keyset.name() + " changed" + attack);
    });
  }

  @Test
  @Order(10)
  @DisplayName("after a rogue member overwrites the secret-check and admission records, node 3 restarts with the right secret and is UP with all 3 members")
  void overwrittenAdmissionDoesNotLockOutHonestNodes() {
    joinRogue(null);
    List<GridMap> targets = rogue.maps("meta", "admission");
    Map<String, Set<Object>> keys = new LinkedHashMap<>();
    targets.forEach(m -> keys.put(m.name(), m.keys()));
    Map<String, Integer> wiped = wipe(targets);
    for (GridMap map : targets) {
      for (Object key : keys.get(map.name())) {
        map.put(key, garbage());
      }
    }
    System.out.println("[it] attack admission: removed " + wiped + " then wrote garbage under " + keys);
    rogue.close();
    rogue = null;
    ClusterWaits.awaitMembers(cluster.nodes(), 3, Duration.ofSeconds(30));

    NodeProcess node3 = cluster.node(3);
    node3.stop();
    node3.start();
    String attack = " after a rogue member overwrote the secret-check/admission records " + keys;
    try {
      Waits.within(60, "node3 UP with 3 members").untilAsserted(() -> {
        Health h = node3.client().health();
        assertTrue(h.up(), "node3 restarted with the right secret is not UP" + attack + ": " + h);
        assertEquals(3, h.members().size(), "members of node3" + attack + ": " + h);
        assertTrue(!h.hasProblemMentioning("secret"), "node3 reports a secret problem" + attack + ": " + h);
        assertEquals(200, node3.client().ready().status(), "/health/ready of node3" + attack);
      });
    } finally {
      System.out.println("[it] attack admission: node3 after restart: " + safeHealth(node3));
    }
  }

  // --- helpers ---

  private void joinRogue(String nodeId) {
    rogue = RogueMember.join(cluster, nodeId);
    System.out.println("[it] rogue " + rogue.address() + " sees " + rogue.membersSeen() + " members and maps "
        + rogue.awaitMaps(Duration.ofSeconds(15)));
  }

  private void assertIntruderNamed(NodeProcess node, String address, boolean node2Once) {
    Waits.within(20, node.id() + " names the intruder " + address).untilAsserted(() -> {
      Health h = node.client().health();
      List<String> wrong = new ArrayList<>();
      if (!h.namesIntruder(address)) {
        wrong.add("cluster.intruders " + h.intruders() + " does not name " + address);
      }
      if (!h.hasProblemMentioning(address)) {
        wrong.add("no problem mentions " + address + " " + h.problems());
      }
      if (node2Once) {
        int node2 = Collections.frequency(h.members(), "node2");
        if (node2 != 1 || h.members().size() != 3) {
          wrong.add("cluster.members lists node2 " + node2 + " times: " + h.members());
        }
      }
      if (!wrong.isEmpty()) {
        throw new AssertionError(node.id() + " after rogue member " + address
            + (node2Once ? " (calling itself node2)" : "") + " joined and wrote: " + String.join("; ", wrong));
      }
    });
    Health h = node.client().health();
    System.out.println("[it] attack intruder" + (node2Once ? " as node2" : "") + ": " + node.id()
        + " intruders=" + h.intruders() + " members=" + h.members());
  }

  private void assertMalloryRefused(String password, String attack) {
    Waits.holdsFor(STAYS, "mallory refused", () -> {
      for (NodeProcess n : cluster.nodes()) {
        NodeClient.Reply r = n.client().login("mallory", password);
        assertEquals(401, r.status(), "mallory logged in on " + n.id() + " after " + attack + ": " + brief(r.body()));
        Path users = n.configDir().resolve("directory").resolve("users.json");
        if (Files.exists(users)) {
          assertTrue(!Files.readString(users, StandardCharsets.UTF_8).contains("\"mallory\""),
              "mallory was written into " + users + " after " + attack);
        }
      }
    });
  }

  private static Map<String, Integer> wipe(List<GridMap> maps) {
    Map<String, Integer> wiped = new TreeMap<>();
    for (GridMap map : maps) {
      wiped.put(map.name(), map.wipe());
    }
    return wiped;
  }

  private static String garbage() {
    byte[] bytes = new byte[48];
    new java.security.SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  private void awaitFilesEverywhere(String kid) {
    Waits.within(Duration.ofSeconds(15), "the four files of " + kid + " on every node")
        .during(Duration.ofSeconds(1)).untilAsserted(() -> {
          for (NodeProcess n : cluster.nodes()) {
            assertEquals(OpensslKeyset.fileNames(kid), filesPresent(n, kid), "files of " + kid + " on " + n.id());
          }
        });
  }

  private static List<String> filesPresent(NodeProcess node, String kid) {
    return OpensslKeyset.fileNames(kid).stream().filter(f -> Files.exists(node.configDir().resolve(f))).toList();
  }

  /** Node id to file name to SHA-256 of its bytes ("absent" when missing). */
  private Map<String, Map<String, String>> fileDigests(String kid) {
    Map<String, Map<String, String>> digests = new TreeMap<>();
    for (NodeProcess n : cluster.nodes()) {
      Map<String, String> files = new TreeMap<>();
      for (String f : OpensslKeyset.fileNames(kid)) {
        Path path = n.configDir().resolve(f);
        try {
          files.put(f, Files.exists(path) ? sha256(Files.readAllBytes(path)) : "absent");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      digests.put(n.id(), files);
    }
    return digests;
  }

  /** The keyset's fingerprint as any JWKS reader can compute it: SHA-256 of the public key's DER. */
  private static String fingerprint(OpensslKeyset keyset) throws Exception {
    String pem = Files.readString(keyset.publicKey(), StandardCharsets.US_ASCII);
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    return sha256(der);
  }

  /** Today's replicated keyset record (plain JSON), marked RETIRED, with a private key that opens to nothing. */
  private static String retiredRecord(OpensslKeyset keyset, String fingerprint) throws IOException {
    long now = Instant.now().toEpochMilli();
    return new JsonObject().put("kid", keyset.name()).put("fingerprint", fingerprint)
        .put("descriptor", Files.readString(keyset.descriptor()))
        .put("certificate", Files.readString(keyset.cert()))
        .put("publicKey", Files.readString(keyset.publicKey()))
        .put("sealedPrivateKey", garbage()).put("state", "RETIRED")
        .put("publishedAt", now - 3_600_000).put("retiredAt", now).put("origin", "node2").encode();
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The start of an HTTP body, enough to see what answered (a bearer token is long). */
  private static String brief(String body) {
    return body.length() <= 160 ? body : body.substring(0, 160) + "...";
  }

  private static String safeHealth(NodeProcess node) {
    try {
      return node.client().health().toString();
    } catch (RuntimeException | AssertionError e) {
      return "(no /health: " + e.getMessage() + ")";
    }
  }
}
