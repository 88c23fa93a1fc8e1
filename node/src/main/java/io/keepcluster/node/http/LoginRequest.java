package io.keepcluster.node.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** The body of {@code POST /api/v1/auth}, validated: only DRAPI's three fields are accepted. */
record LoginRequest(String username, char[] password, String scope) {

  private static final Set<String> FIELDS = Set.of("username", "password", "scope");
  private static final int MAX_FIELD_CHARS = 1024;

  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  static LoginRequest parse(String body) throws Invalid {
    if (body == null || body.isBlank()) {
      throw new Invalid("request body must be a JSON object with username and password");
    }
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new Invalid("request body is not valid JSON");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new Invalid("unknown field: " + field + " (allowed: username, password, scope)");
      }
    }
    String username = requiredString(json, "username");
    String password = requiredString(json, "password");
    Object scope = json.getValue("scope");
    if (scope != null && !(scope instanceof String)) {
      throw new Invalid("scope must be a string of space-separated scopes");
    }
    if (scope != null && ((String) scope).length() > MAX_FIELD_CHARS) {
      throw new Invalid("scope is too long");
    }
    return new LoginRequest(username, password.toCharArray(), (String) scope);
  }

  private static String requiredString(JsonObject json, String field) throws Invalid {
    Object value = json.getValue(field);
    if (!(value instanceof String s) || s.isEmpty()) {
      throw new Invalid(field + " is required and must be a non-empty string");
    }
    if (s.length() > MAX_FIELD_CHARS) {
      throw new Invalid(field + " is too long");
    }
    return s;
  }
}
