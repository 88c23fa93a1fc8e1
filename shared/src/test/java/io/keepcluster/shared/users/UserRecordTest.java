package io.keepcluster.shared.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vertx.core.json.JsonObject;

class UserRecordTest {

  private static final String HASH = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA";

  private static JsonObject alice() {
    return new JsonObject().put("username", "alice").put("dn", "CN=Alice/O=Acme")
        .put("email", "alice@acme.test").put("scopes", "MAIL $DATA").put("passwordHash", HASH);
  }

  @Test
  @DisplayName("a record survives a trip through JSON unchanged")
  void jsonRoundTrip() {
    UserRecord user = UserRecord.fromJson(alice());

    assertEquals(user, UserRecord.fromJson(user.toJson()));
    assertEquals(alice(), user.toJson());
  }

  @Test
  @DisplayName("toString names the user but never shows the password hash")
  void toStringHidesHash() {
    String text = UserRecord.fromJson(alice()).toString();

    assertTrue(text.contains("alice"));
    assertFalse(text.contains(HASH));
    assertFalse(text.contains("argon2"));
  }

  @Test
  @DisplayName("missing scopes default to DRAPI's 'MAIL $DATA' and a missing email stays absent")
  void defaults() {
    UserRecord user = UserRecord.fromJson(alice().copy().put("scopes", null).put("email", null));

    assertEquals("MAIL $DATA", user.scopes());
    assertNull(user.email());
    assertFalse(user.toJson().containsKey("email"));
  }

  @Test
  @DisplayName("unknown fields are ignored")
  void unknownFieldsIgnored() {
    UserRecord user = UserRecord.fromJson(alice().copy().put("futureField", 42));

    assertEquals("alice", user.username());
  }

  @Test
  @DisplayName("a record without username is refused with a message saying so")
  void usernameRequired() {
    InvalidUserException e = assertThrows(InvalidUserException.class,
        () -> UserRecord.fromJson(alice().copy().put("username", null)));

    assertTrue(e.getMessage().contains("username is required"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"has space", "slash/name", "ünïcode", "semi;colon",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  @DisplayName("a username outside 1-64 of letters, digits and ._-@ is refused")
  void badUsernamesRefused(String username) {
    InvalidUserException e = assertThrows(InvalidUserException.class,
        () -> UserRecord.fromJson(alice().copy().put("username", username)));

    assertTrue(e.getMessage().contains("1-64 characters"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "alice.smith", "a_b-c", "alice@acme.test", "A1"})
  @DisplayName("usernames of letters, digits and ._-@ are accepted")
  void goodUsernamesAccepted(String username) {
    assertEquals(username, UserRecord.fromJson(alice().copy().put("username", username)).username());
  }

  @Test
  @DisplayName("a blank dn is refused with a message naming the user")
  void dnRequired() {
    InvalidUserException e = assertThrows(InvalidUserException.class,
        () -> UserRecord.fromJson(alice().copy().put("dn", "  ")));

    assertTrue(e.getMessage().contains("dn is required for user 'alice'"), e.getMessage());
  }

  @Test
  @DisplayName("a field of the wrong JSON type is refused with a message naming the field")
  void wrongTypeRefused() {
    InvalidUserException e = assertThrows(InvalidUserException.class,
        () -> UserRecord.fromJson(alice().copy().put("dn", 5)));

    assertTrue(e.getMessage().startsWith("dn must be a string"), e.getMessage());
  }

  @Test
  @DisplayName("withPasswordHash changes only the hash")
  void withPasswordHash() {
    UserRecord user = UserRecord.fromJson(alice());
    UserRecord changed = user.withPasswordHash("$2y$new");

    assertEquals("$2y$new", changed.passwordHash());
    assertEquals(user.withPasswordHash(HASH), user);
    assertEquals(user.dn(), changed.dn());
  }
}
