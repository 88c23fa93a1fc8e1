package io.keepcluster.shared.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UsersJsonTest {

  private static final Path FILE = Path.of("users.json");

  private static UserRecord user(String name, long version) {
    return new UserRecord(name, "CN=" + name + "/O=Acme", name + "@acme.test", null, "$argon2id$hash-of-" + name)
        .withVersion(version).withState(name.equals("carol") ? UserState.DISABLED : UserState.ACTIVE);
  }

  private static Map<String, UserEntry> read(String text) throws IOException {
    return UsersJson.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), FILE);
  }

  @Test
  @DisplayName("the streamed file has the very bytes Vert.x's encodePrettily gave, and reads back equal")
  void sameBytesAsBefore() throws IOException {
    List<UserEntry> entries = List.of(UserEntry.of(user("alice", 0)), UserEntry.tombstone("bob", 7),
        UserEntry.of(user("carol", 5)));
    JsonArray users = new JsonArray().add(entries.get(0).toJson()).add(entries.get(2).toJson());
    JsonArray removed = new JsonArray().add(new JsonObject().put("username", "bob").put("version", 7L));
    String before = new JsonObject().put("users", users).put("removed", removed).encodePrettily() + "\n";

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    UsersJson.write(out, entries);

    assertEquals(before, out.toString(StandardCharsets.UTF_8));
    Map<String, UserEntry> back = read(before);
    assertEquals(List.of("alice", "carol", "bob"), List.copyOf(back.keySet()));
    entries.forEach(entry -> assertEquals(entry, back.get(entry.username())));
  }

  @Test
  @DisplayName("a tombstone listed before the users still wins over an older copy of the user")
  void removedFirst() throws IOException {
    Map<String, UserEntry> back = read("{\"removed\":[{\"username\":\"alice\",\"version\":9}],\"users\":["
        + user("alice", 3).toJson().encode() + "]}");
    assertTrue(back.get("alice").removed());
  }

  @Test
  @DisplayName("unknown top-level keys are skipped, nested values included")
  void unknownKeysSkipped() throws IOException {
    Map<String, UserEntry> back = read("{\"comment\":{\"a\":[1,2,{\"b\":null}]},\"users\":["
        + user("alice", 3).toJson().put("future", new JsonObject().put("x", 1)).encode() + "]}");
    assertEquals(1, back.size());
  }

  @Test
  @DisplayName("a file that is not one JSON object of arrays of objects is refused with a reason")
  void malformedRefused() {
    assertTrue(assertThrows(UserDirectoryException.class, () -> read("[]")).getMessage().contains("invalid JSON"));
    assertTrue(assertThrows(UserDirectoryException.class, () -> read("{\"users\":[")).getMessage()
        .contains("invalid JSON"));
    assertTrue(assertThrows(UserDirectoryException.class, () -> read("{} {}")).getMessage()
        .contains("invalid JSON"));
    assertTrue(assertThrows(UserDirectoryException.class, () -> read("{\"users\":{}}")).getMessage()
        .contains("\"users\" must be an array"));
    assertTrue(assertThrows(UserDirectoryException.class, () -> read("{\"users\":[1]}")).getMessage()
        .contains("users[0]: must be a JSON object"));
  }
}
