package io.keepcluster.node.users;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.config.LockoutPolicy;
import io.keepcluster.node.tokens.LocalRevocations;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserEntry;
import io.keepcluster.shared.users.UserRecord;
import io.keepcluster.shared.users.UserState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime directory against its file and a shared replica: two "nodes" in one JVM. */
class UserDirectoryTest {

  private static final Duration SETTLE = Duration.ofSeconds(10);

  @TempDir
  Path dir1;
  @TempDir
  Path dir2;

  private final MemoryReplica grid = new MemoryReplica();
  private final Clock clock = Clock.systemUTC();
  private final List<UserDirectory> started = new ArrayList<>();

  /** One node's directory with what it needs to show its effects. */
  private record Node(UserDirectory directory, UserDirectoryFile file, LocalLockouts lockouts,
      LocalRevocations revocations) {}

  @AfterEach
  void stop() {
    started.forEach(UserDirectory::close);
  }

  private Node node(Path dir) throws Exception {
    UserDirectoryFile file = new UserDirectoryFile(dir, clock);
    LocalLockouts lockouts = new LocalLockouts(new LockoutPolicy(3, Duration.ofMinutes(60)), clock);
    LocalRevocations revocations = new LocalRevocations(clock);
    UserDirectory directory = new UserDirectory(file, grid.view(),
        new UserChangeEffects(lockouts, revocations, new UserAudit("test"), clock), clock);
    directory.start();
    started.add(directory);
    return new Node(directory, file, lockouts, revocations);
  }

  private static UserRecord user(String name, long version) {
    return new UserRecord(name, "CN=" + name + "/O=Acme", null, null, "$argon2id$hash-" + name + version)
        .withVersion(version);
  }

  @Test
  @DisplayName("a user removed by hand from users.json becomes a tombstone on every node, not something put back")
  void handRemovalIsRemoval() throws Exception {
    new UserDirectoryFile(dir1).upsert(user("bob", 100));
    Node one = node(dir1);
    Node two = node(dir2);
    await().atMost(SETTLE).until(() -> two.directory().find("bob").isPresent());

    // The operator's editor: the file rewritten without bob, no tombstone, no version.
    Path file = one.file().path();
    JsonObject root = new JsonObject(Files.readString(file));
    root.put("users", new JsonArray());
    Files.writeString(file, root.encodePrettily());

    await().atMost(SETTLE).until(() -> two.directory().find("bob").isEmpty());
    assertTrue(one.directory().find("bob").isEmpty());
    await().atMost(SETTLE).until(() -> two.file().entries().get("bob") != null
        && two.file().entries().get("bob").removed());
    assertTrue(one.file().entries().get("bob").removed(), "node 1's own file keeps the tombstone");
    assertTrue(grid.get("bob").orElseThrow().removed());
  }

  @Test
  @DisplayName("a node that was down while a user was removed does not bring them back when it starts")
  void restartAfterMissedRemoval() throws Exception {
    new UserDirectoryFile(dir2).upsert(user("bob", 100));
    grid.put(UserEntry.tombstone("bob", 200));

    Node two = node(dir2);

    assertTrue(two.directory().find("bob").isEmpty());
    assertTrue(grid.get("bob").orElseThrow().removed());
    await().atMost(SETTLE).until(() -> two.file().load().isEmpty());
    assertEquals(200, two.file().entries().get("bob").version());
  }

  @Test
  @DisplayName("a user the cluster has at an older version is replaced by a newer copy from the file")
  void newerFileEntryWins() throws Exception {
    grid.put(UserEntry.of(user("bob", 100)));
    new UserDirectoryFile(dir1).upsert(user("bob", 300).withState(UserState.DISABLED));

    Node one = node(dir1);

    assertTrue(one.directory().find("bob").isEmpty(), "disabled");
    assertEquals(300, grid.get("bob").orElseThrow().version());
  }

  @Test
  @DisplayName("1000 users arriving from the cluster are persisted in a few atomic writes, not one per user")
  void batchPersistence() throws Exception {
    Node one = node(dir1);
    int before = one.directory().fileWrites();
    for (int i = 0; i < 1000; i++) {
      grid.put(UserEntry.of(user("u" + i, 1000 + i)));
    }
    await().atMost(SETTLE).until(() -> one.file().load().size() == 1000);
    int writes = one.directory().fileWrites() - before;
    assertTrue(writes >= 1 && writes <= 5, "file writes for 1000 users: " + writes);
    assertEquals(1000, one.directory().users().size());
  }

  @Test
  @DisplayName("a removal through the administration refuses the user's tokens issued before it and clears nothing else")
  void removalCutsOffTokens() throws Exception {
    new UserDirectoryFile(dir1).upsert(user("bob", 100));
    Node one = node(dir1);
    Instant issued = clock.instant().minusSeconds(5);
    UserAdministration admin = new UserAdministration(one.directory(), one.lockouts(),
        new UserChangeEffects(one.lockouts(), one.revocations(), new UserAudit("test"), clock));

    assertEquals(UserAdministration.Outcome.DONE, admin.remove("bob").get());

    assertTrue(one.revocations().isCutOff("CN=bob/O=Acme", issued));
    assertFalse(one.revocations().isCutOff("CN=bob/O=Acme", issued.plusSeconds(3600)));
    assertFalse(one.revocations().isCutOff("CN=alice/O=Acme", issued));
    await().atMost(SETTLE).until(() -> one.file().entries().get("bob").removed());
    assertEquals(UserAdministration.Outcome.NOT_FOUND, admin.remove("bob").get());
  }

  @Test
  @DisplayName("a new password written to the file by another process replaces the hash everywhere and clears the lockout")
  void passwordFromFileClearsLockout() throws Exception {
    new UserDirectoryFile(dir1).upsert(user("bob", 100));
    Node one = node(dir1);
    Node two = node(dir2);
    for (int i = 0; i < 3; i++) {
      one.lockouts().tryBegin("bob");
      one.lockouts().finish("bob", false);
    }
    assertTrue(one.lockouts().isLocked("bob"));

    one.file().edit("passwd", "bob", entries -> {
      UserRecord bob = entries.get("bob").user();
      entries.put("bob", UserEntry.of(bob.withPasswordHash("$argon2id$new")
          .withVersion(entries.get("bob").nextVersion(clock.millis())).withLockoutCleared()));
      return true;
    });

    await().atMost(SETTLE).until(() -> !one.lockouts().isLocked("bob"));
    await().atMost(SETTLE).until(() -> two.directory().find("bob")
        .map(u -> u.passwordHash().equals("$argon2id$new")).orElse(false));
  }

  @Test
  @DisplayName("a second node with its own bootstrap admin adopts the cluster's admin without a warning")
  void normalStartWarnsNothing() throws Exception {
    new UserDirectoryFile(dir1).upsert(new UserRecord("admin", "CN=admin", null, null, "$argon2id$one"));
    new UserDirectoryFile(dir2).upsert(new UserRecord("admin", "CN=admin", null, null, "$argon2id$two"));
    java.io.PrintStream originalErr = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    Node two;
    try {
      System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
      node(dir1);
      two = node(dir2);
    } finally {
      System.setErr(originalErr);
    }
    String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertFalse(log.contains(" WARN "), log);
    assertEquals("$argon2id$one", two.directory().find("admin").orElseThrow().passwordHash());
    await().atMost(SETTLE).until(() -> two.file().load().get("admin").passwordHash().equals("$argon2id$one"));
  }
}
