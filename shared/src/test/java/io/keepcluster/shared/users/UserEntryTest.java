package io.keepcluster.shared.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UserEntryTest {

  private static UserEntry bob(long version) {
    return UserEntry.of(new UserRecord("bob", "CN=Bob/O=Acme", null, null, "$argon2id$h" + version)
        .withVersion(version));
  }

  @Test
  @DisplayName("a tombstone beats an older record of the user, whichever side it is on")
  void tombstoneBeatsOlderRecord() {
    UserEntry removed = UserEntry.tombstone("bob", 20);
    assertSame(removed, UserEntry.newer(bob(10), removed));
    assertSame(removed, UserEntry.newer(removed, bob(10)));
  }

  @Test
  @DisplayName("a record newer than the tombstone (the user added again) beats it")
  void newerRecordBeatsTombstone() {
    UserEntry again = bob(30);
    assertSame(again, UserEntry.newer(UserEntry.tombstone("bob", 20), again));
  }

  @Test
  @DisplayName("at an equal version the tombstone wins, and two records pick the same one on every node")
  void tiesAreDeterministic() {
    UserEntry removed = UserEntry.tombstone("bob", 10);
    assertSame(removed, UserEntry.newer(bob(10), removed));
    UserEntry a = UserEntry.of(new UserRecord("bob", "CN=Bob", null, null, "$argon2id$a").withVersion(5));
    UserEntry b = UserEntry.of(new UserRecord("bob", "CN=Bob", null, null, "$argon2id$b").withVersion(5));
    assertEquals(UserEntry.newer(a, b), UserEntry.newer(b, a));
  }

  @Test
  @DisplayName("a tombstone and a disabled user survive the JSON round trip, without a hash for the tombstone")
  void jsonRoundTrip() {
    UserEntry removed = UserEntry.tombstone("bob", 42);
    assertEquals(removed, UserEntry.fromJson(removed.toJson()));
    assertTrue(!removed.toJson().encode().contains("passwordHash"));
    UserEntry disabled = UserEntry.of(bob(7).user().withState(UserState.DISABLED));
    assertEquals(disabled, UserEntry.fromJson(disabled.toJson()));
    assertTrue(disabled.activeUser().isEmpty());
  }
}
