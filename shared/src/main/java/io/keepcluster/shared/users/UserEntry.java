package io.keepcluster.shared.users;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * What the directory knows about one username: the user, or a tombstone saying the user was
 * removed at {@code version}. Removals are records, never absences, so that a copy which still has
 * the user (a node that was down, the grid, a stale file) cannot bring them back: the newer entry
 * wins everywhere by {@link #newer}.
 */
public record UserEntry(String username, long version, UserRecord user) {

  public UserEntry {
    Objects.requireNonNull(username, "username");
    if (user != null && (!user.username().equals(username) || user.version() != version)) {
      throw new IllegalArgumentException("entry and record disagree for " + username);
    }
    if (version < 0) {
      throw new InvalidUserException("version of '" + username + "' must not be negative");
    }
  }

  public static UserEntry of(UserRecord user) {
    return new UserEntry(user.username(), user.version(), user);
  }

  public static UserEntry tombstone(String username, long version) {
    // Validates the name the same way as a record would.
    new UserRecord(username, "CN=-", null, null, "-");
    return new UserEntry(username, version, null);
  }

  public boolean removed() {
    return user == null;
  }

  public Optional<UserRecord> record() {
    return Optional.ofNullable(user);
  }

  /** The user if present and allowed to log in. */
  public Optional<UserRecord> activeUser() {
    return record().filter(UserRecord::active);
  }

  /** A version past this one and past {@code now}: what the next change of this user gets. */
  public long nextVersion(long now) {
    return Math.max(now, version + 1);
  }

  public JsonObject toJson() {
    return user != null ? user.toJson()
        : new JsonObject().put("username", username).put("removed", true).put("version", version);
  }

  /** A user record, or a tombstone ({@code "removed": true}). */
  public static UserEntry fromJson(JsonObject json) {
    if (json != null && Boolean.TRUE.equals(json.getValue("removed"))) {
      Object version = json.getValue("version");
      if (!(version instanceof Number n)) {
        throw new InvalidUserException("a removed user needs a numeric version");
      }
      Object name = json.getValue("username");
      if (!(name instanceof String username)) {
        throw new InvalidUserException("username is required");
      }
      return tombstone(username, n.longValue());
    }
    return of(UserRecord.fromJson(json));
  }

  /**
   * The merge rule every node applies the same way: the higher version wins; at an equal version
   * a removal beats a user (never resurrect by accident), then the greater JSON text, so any two
   * nodes holding the same two entries pick the same one.
   */
  public static UserEntry newer(UserEntry a, UserEntry b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    int byVersion = Long.compare(a.version, b.version);
    if (byVersion != 0) {
      return byVersion > 0 ? a : b;
    }
    if (a.removed() != b.removed()) {
      return a.removed() ? a : b;
    }
    return a.toJson().encode().compareTo(b.toJson().encode()) >= 0 ? a : b;
  }

  @Override
  public String toString() {
    return removed() ? "UserEntry[" + username + " removed at " + version + "]" : user.toString();
  }
}
