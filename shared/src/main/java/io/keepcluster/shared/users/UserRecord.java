package io.keepcluster.shared.users;

import java.util.regex.Pattern;

import io.vertx.core.json.JsonObject;

/**
 * One directory user: the identity put into tokens ({@code dn}, {@code scopes}) and the password
 * hash used at login. Validated when built, so an invalid record cannot exist.
 *
 * <p>{@code state} says whether the user may log in; {@code version} orders the changes of one
 * user cluster-wide (epoch millis of the change, always past the version it replaces; 0 for a
 * record nobody has versioned yet, such as a hand-written one); {@code lockoutClearedAt} is the
 * version at which an operator last cleared the user's lockout ({@code user unlock}, {@code user
 * passwd}), so a node that reads the change from its file knows to clear it cluster-wide.
 *
 * <p>{@link #toString()} leaves the password hash out: records end up in log lines and
 * exception messages, and a hash is offline-crackable material.
 */
public record UserRecord(String username, String dn, String email, String scopes, String passwordHash,
    UserState state, long version, long lockoutClearedAt) {

  /** DRAPI's default scopes for a Domino user. */
  public static final String DEFAULT_SCOPES = "MAIL $DATA";

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  public UserRecord {
    if (username == null || username.isEmpty()) {
      throw new InvalidUserException("username is required");
    }
    if (!USERNAME.matcher(username).matches()) {
      throw new InvalidUserException("username '" + printable(username)
          + "' must be 1-64 characters of letters, digits, '.', '_', '-', '@'");
    }
    if (dn == null || dn.isBlank()) {
      throw new InvalidUserException("dn is required for user '" + username + "'");
    }
    if (email != null && email.isBlank()) {
      email = null; // "" in a hand-edited file means "no email"
    }
    if (scopes == null || scopes.isBlank()) {
      scopes = DEFAULT_SCOPES;
    } else {
      scopes = scopes.trim().replaceAll("\\s+", " ");
    }
    if (passwordHash == null || passwordHash.isBlank()) {
      throw new InvalidUserException("passwordHash is required for user '" + username + "'");
    }
    if (state == null) {
      state = UserState.ACTIVE;
    }
    if (version < 0 || lockoutClearedAt < 0) {
      throw new InvalidUserException("version and lockoutClearedAt of user '" + username
          + "' must not be negative");
    }
  }

  /** An active user with no version yet (the form {@code user add} and tests build). */
  public UserRecord(String username, String dn, String email, String scopes, String passwordHash) {
    this(username, dn, email, scopes, passwordHash, UserState.ACTIVE, 0, 0);
  }

  /** Reads the JSON form; unknown fields are ignored so newer files load in older nodes. */
  public static UserRecord fromJson(JsonObject json) {
    if (json == null) {
      throw new InvalidUserException("user record must be a JSON object");
    }
    return new UserRecord(string(json, "username"), string(json, "dn"), string(json, "email"),
        string(json, "scopes"), string(json, "passwordHash"), UserState.parse(string(json, "state")),
        number(json, "version"), number(json, "lockoutClearedAt"));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("username", username).put("dn", dn);
    if (email != null) {
      json.put("email", email);
    }
    json.put("scopes", scopes).put("passwordHash", passwordHash);
    if (state != UserState.ACTIVE) {
      json.put("state", state.label());
    }
    if (version > 0) {
      json.put("version", version);
    }
    if (lockoutClearedAt > 0) {
      json.put("lockoutClearedAt", lockoutClearedAt);
    }
    return json;
  }

  public boolean active() {
    return state == UserState.ACTIVE;
  }

  public UserRecord withPasswordHash(String newHash) {
    return new UserRecord(username, dn, email, scopes, newHash, state, version, lockoutClearedAt);
  }

  public UserRecord withDn(String newDn) {
    return new UserRecord(username, newDn, email, scopes, passwordHash, state, version, lockoutClearedAt);
  }

  public UserRecord withEmail(String newEmail) {
    return new UserRecord(username, dn, newEmail, scopes, passwordHash, state, version, lockoutClearedAt);
  }

  public UserRecord withScopes(String newScopes) {
    return new UserRecord(username, dn, email, newScopes, passwordHash, state, version, lockoutClearedAt);
  }

  public UserRecord withState(UserState newState) {
    return new UserRecord(username, dn, email, scopes, passwordHash, newState, version, lockoutClearedAt);
  }

  public UserRecord withVersion(long newVersion) {
    return new UserRecord(username, dn, email, scopes, passwordHash, state, newVersion, lockoutClearedAt);
  }

  /** Marks this version as the one that clears the user's lockout. */
  public UserRecord withLockoutCleared() {
    return new UserRecord(username, dn, email, scopes, passwordHash, state, version, version);
  }

  @Override
  public String toString() {
    return "UserRecord[username=" + username + ", dn=" + dn + ", email=" + email
        + ", scopes=" + scopes + ", state=" + state.label() + ", version=" + version + "]";
  }

  private static String string(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new InvalidUserException(key + " must be a string, got " + value.getClass().getSimpleName());
  }

  private static long number(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return 0;
    }
    if (value instanceof Number n && n.longValue() == n.doubleValue()) {
      return n.longValue();
    }
    throw new InvalidUserException(key + " must be a whole number");
  }

  /** Keeps control characters out of messages that end up in logs. */
  private static String printable(String value) {
    String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
