package io.keepcluster.shared.users;

import java.util.regex.Pattern;

import io.vertx.core.json.JsonObject;

/**
 * One directory user: the identity put into tokens ({@code dn}, {@code scopes}) and the password
 * hash used at login. Validated when built, so an invalid record cannot exist.
 *
 * <p>{@link #toString()} leaves the password hash out: records end up in log lines and
 * exception messages, and a hash is offline-crackable material.
 */
public record UserRecord(String username, String dn, String email, String scopes, String passwordHash) {

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
  }

  /** Reads the JSON form; unknown fields are ignored so newer files load in older nodes. */
  public static UserRecord fromJson(JsonObject json) {
    if (json == null) {
      throw new InvalidUserException("user record must be a JSON object");
    }
    return new UserRecord(string(json, "username"), string(json, "dn"), string(json, "email"),
        string(json, "scopes"), string(json, "passwordHash"));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("username", username).put("dn", dn);
    if (email != null) {
      json.put("email", email);
    }
    return json.put("scopes", scopes).put("passwordHash", passwordHash);
  }

  public UserRecord withPasswordHash(String newHash) {
    return new UserRecord(username, dn, email, scopes, newHash);
  }

  public UserRecord withDn(String newDn) {
    return new UserRecord(username, newDn, email, scopes, passwordHash);
  }

  public UserRecord withEmail(String newEmail) {
    return new UserRecord(username, dn, newEmail, scopes, passwordHash);
  }

  public UserRecord withScopes(String newScopes) {
    return new UserRecord(username, dn, email, newScopes, passwordHash);
  }

  @Override
  public String toString() {
    return "UserRecord[username=" + username + ", dn=" + dn + ", email=" + email
        + ", scopes=" + scopes + "]";
  }

  private static String string(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new InvalidUserException(key + " must be a string, got " + value.getClass().getSimpleName());
  }

  /** Keeps control characters out of messages that end up in logs. */
  private static String printable(String value) {
    String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
