package io.keepcluster.shared.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDirectoryFileTest {

  @TempDir
  Path configDir;

  private static UserRecord user(String name) {
    return new UserRecord(name, "CN=" + name + "/O=Acme", name + "@acme.test", null, "$argon2id$hash-of-" + name);
  }

  @Test
  @DisplayName("the file lives at DIR/directory/users.json")
  void pathIsDirectoryUsersJson() {
    assertEquals(configDir.resolve("directory/users.json").toAbsolutePath(),
        new UserDirectoryFile(configDir).path());
  }

  @Test
  @DisplayName("a missing file loads as an empty directory")
  void missingFileIsEmpty() {
    assertTrue(new UserDirectoryFile(configDir).load().isEmpty());
  }

  @Test
  @DisplayName("an upserted user loads back equal, with the directory folder created")
  void roundTrip() {
    UserDirectoryFile users = new UserDirectoryFile(configDir);
    users.upsert(user("alice"));

    assertEquals(Map.of("alice", user("alice")), new UserDirectoryFile(configDir).load());
  }

  @Test
  @DisplayName("upserting one user keeps the others")
  void upsertKeepsOthers() {
    UserDirectoryFile users = new UserDirectoryFile(configDir);
    users.upsert(user("alice"));
    users.upsert(user("bob"));
    users.upsert(user("alice").withScopes("MAIL"));

    Map<String, UserRecord> loaded = users.load();
    assertEquals(2, loaded.size());
    assertEquals("MAIL", loaded.get("alice").scopes());
    assertEquals(user("bob"), loaded.get("bob"));
  }

  @Test
  @DisplayName("a user written by another writer since this one last loaded is not lost")
  void otherWriterNotLost() {
    UserDirectoryFile first = new UserDirectoryFile(configDir);
    UserDirectoryFile second = new UserDirectoryFile(configDir);
    first.load();
    second.upsert(user("bob"));
    first.upsert(user("alice"));

    assertEquals(2, first.load().size());
  }

  @Test
  @DisplayName("removing a user keeps the others, and removing an unknown user changes nothing")
  void removeUser() {
    UserDirectoryFile users = new UserDirectoryFile(configDir);
    users.upsert(user("alice"));
    users.upsert(user("bob"));
    users.remove("alice");
    users.remove("nobody");

    assertEquals(Map.of("bob", user("bob")), users.load());
  }

  @Test
  @DisplayName("8 threads upserting 8 different users at once leave all 8 in the file")
  void concurrentUpserts() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> results = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        String name = "user" + i;
        // A separate instance per thread, as separate verticles or the CLI would have.
        UserDirectoryFile users = new UserDirectoryFile(configDir);
        results.add(pool.submit(() -> {
          start.await();
          users.upsert(user(name));
          return null;
        }));
      }
      start.countDown();
      for (Future<?> result : results) {
        result.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertEquals(threads, new UserDirectoryFile(configDir).load().size());
  }

  @Test
  @DisplayName("invalid JSON is reported with the file name and the parser's reason")
  void invalidJsonNamesFile() throws IOException {
    UserDirectoryFile users = new UserDirectoryFile(configDir);
    Files.createDirectories(users.path().getParent());
    Files.writeString(users.path(), "{\"users\": [ {\"username\": ");

    UserDirectoryException e = assertThrows(UserDirectoryException.class, users::load);

    assertEquals(users.path(), e.file());
    assertTrue(e.getMessage().contains(users.path().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
  }

  @Test
  @DisplayName("an invalid record is reported with its index and the rule it breaks")
  void invalidRecordNamesIndex() throws IOException {
    UserDirectoryFile users = new UserDirectoryFile(configDir);
    users.upsert(user("alice"));
    Files.writeString(users.path(), "{\"users\": [" + user("alice").toJson().encode()
        + ", {\"username\": \"bob\", \"passwordHash\": \"x\"}]}");

    UserDirectoryException e = assertThrows(UserDirectoryException.class, users::load);

    assertTrue(e.getMessage().contains("users[1]: dn is required for user 'bob'"), e.getMessage());
  }

  @Test
  @DisplayName("two records with one username are refused")
  void duplicateRefused() throws IOException {
    UserDirectoryFile users = new UserDirectoryFile(configDir);
    users.upsert(user("alice"));
    String record = user("alice").toJson().encode();
    Files.writeString(users.path(), "{\"users\": [" + record + "," + record + "]}");

    UserDirectoryException e = assertThrows(UserDirectoryException.class, users::load);

    assertTrue(e.getMessage().contains("users[1]: duplicate username 'alice'"), e.getMessage());
  }

  @Test
  @DisplayName("an upsert over an unreadable file fails and leaves the file as it was")
  void upsertOverBrokenFileFails() throws IOException {
    UserDirectoryFile users = new UserDirectoryFile(configDir);
    Files.createDirectories(users.path().getParent());
    Files.writeString(users.path(), "not json");

    assertThrows(UserDirectoryException.class, () -> users.upsert(user("alice")));
    assertEquals("not json", Files.readString(users.path()));
  }

  @Test
  @DisplayName("writes leave no temporary files behind")
  void noTempFilesLeft() throws IOException {
    UserDirectoryFile users = new UserDirectoryFile(configDir);
    users.upsert(user("alice"));
    users.upsert(user("bob"));
    users.remove("alice");

    try (Stream<Path> files = Files.list(users.path().getParent())) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of(".users.lock", "users.json"), names);
    }
  }

  @Test
  @DisplayName("users.json is readable and writable by its owner only")
  void fileModeIs0600() throws IOException {
    assumeTrue(configDir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    UserDirectoryFile users = new UserDirectoryFile(configDir);
    users.upsert(user("alice"));

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users.path())));
  }

  @Test
  @DisplayName("the file on disk is {\"users\":[...]} sorted by username")
  void fileFormat() throws IOException {
    UserDirectoryFile users = new UserDirectoryFile(configDir);
    users.upsert(user("bob"));
    users.upsert(user("alice"));

    io.vertx.core.json.JsonObject root = new io.vertx.core.json.JsonObject(Files.readString(users.path()));
    assertEquals("alice", root.getJsonArray("users").getJsonObject(0).getString("username"));
    assertEquals("bob", root.getJsonArray("users").getJsonObject(1).getString("username"));
  }

  @Test
  @DisplayName("remove leaves a newer tombstone in the file, and a user added again is newer than it")
  void removeLeavesTombstone() {
    UserDirectoryFile users = new UserDirectoryFile(configDir);
    users.upsert(user("bob").withVersion(100));
    assertTrue(users.remove("bob"));

    UserEntry tombstone = users.entries().get("bob");
    assertTrue(tombstone.removed());
    assertTrue(tombstone.version() > 100);
    assertTrue(users.load().isEmpty());
    assertTrue(!users.remove("bob"), "removing a removed user changes nothing");

    users.upsert(user("bob"));
    assertTrue(users.entries().get("bob").version() > tombstone.version());
  }
}
