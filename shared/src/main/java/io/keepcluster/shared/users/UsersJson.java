package io.keepcluster.shared.users;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of {@code users.json}, read and written one user at a time. A file of 100,000 users is
 * about 25 MiB: holding it whole as text, plus its JSON tree, plus the records (what parsing it into
 * one {@code JsonObject} did) does not fit the launcher's 192 MiB heap, so only one user's JSON
 * is ever in memory besides the records themselves. The bytes written are those of Vert.x's
 * {@code encodePrettily} (Jackson's default pretty printer), so the format is unchanged.
 */
final class UsersJson {

  private static final JsonFactory FACTORY = new JsonFactory();

  private UsersJson() {}

  /** Users and tombstones by username, in file order; a tombstone and a user of one name merge to the newer. */
  static Map<String, UserEntry> read(InputStream in, Path file) throws IOException {
    Map<String, UserEntry> users = new LinkedHashMap<>();
    List<UserEntry> removed = new ArrayList<>();
    try (JsonParser parser = FACTORY.createParser(in)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new UserDirectoryException(file, "invalid JSON: the file must hold one JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("users".equals(key)) {
          users.clear(); // a repeated key: the last one counts, as when parsed into one object
          readArray(parser, value, key, file, (json, i) -> {
            UserRecord user = record(json, i, file);
            if (users.putIfAbsent(user.username(), UserEntry.of(user)) != null) {
              throw new UserDirectoryException(file, "users[" + i + "]: duplicate username '" + user.username() + "'");
            }
          });
        } else if ("removed".equals(key)) {
          removed.clear();
          readArray(parser, value, key, file, (json, i) -> removed.add(tombstone(json, i, file)));
        } else {
          parser.skipChildren();
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new UserDirectoryException(file, "invalid JSON: unexpected content after the object");
      }
    } catch (JsonProcessingException e) {
      throw new UserDirectoryException(file, "invalid JSON: " + e.getOriginalMessage(), e);
    }
    // A user listed in both is the newer of the two (a hand edit may re-add a removed user).
    removed.forEach(tombstone -> users.merge(tombstone.username(), tombstone, UserEntry::newer));
    return users;
  }

  /** Writes {@code entries} (in the order given) as the file's text, ending with a newline. */
  static void write(OutputStream out, Iterable<UserEntry> entries) throws IOException {
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // the caller forces, then closes
      generator.useDefaultPrettyPrinter();
      generator.writeStartObject();
      generator.writeArrayFieldStart("users");
      boolean anyRemoved = false;
      for (UserEntry entry : entries) {
        if (entry.removed()) {
          anyRemoved = true;
        } else {
          writeObject(generator, entry.toJson());
        }
      }
      generator.writeEndArray();
      if (anyRemoved) {
        generator.writeArrayFieldStart("removed");
        for (UserEntry entry : entries) {
          if (entry.removed()) {
            generator.writeStartObject();
            generator.writeStringField("username", entry.username());
            generator.writeNumberField("version", entry.version());
            generator.writeEndObject();
          }
        }
        generator.writeEndArray();
      }
      generator.writeEndObject();
      generator.writeRaw('\n');
    }
  }

  @FunctionalInterface
  private interface ElementHandler {
    void accept(JsonObject json, int index) throws IOException;
  }

  private static void readArray(JsonParser parser, JsonToken start, String key, Path file, ElementHandler handler)
      throws IOException {
    if (start == JsonToken.VALUE_NULL) {
      return;
    }
    if (start != JsonToken.START_ARRAY) {
      parser.skipChildren();
      throw new UserDirectoryException(file, "\"" + key + "\" must be an array");
    }
    int index = 0;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (token != JsonToken.START_OBJECT) {
        throw new UserDirectoryException(file, key + "[" + index + "]: must be a JSON object");
      }
      handler.accept((JsonObject) value(parser, token), index++);
    }
  }

  /** The value at the current token, as Vert.x would have parsed it. */
  private static Object value(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT: {
        JsonObject object = new JsonObject();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          object.put(name, value(parser, parser.nextToken()));
        }
        return object;
      }
      case START_ARRAY: {
        JsonArray array = new JsonArray();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          array.add(value(parser, t));
        }
        return array;
      }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected token " + token);
    }
  }

  private static void writeObject(JsonGenerator generator, JsonObject json) throws IOException {
    generator.writeStartObject();
    for (Map.Entry<String, Object> field : json) {
      generator.writeFieldName(field.getKey());
      Object value = field.getValue();
      if (value instanceof String s) {
        generator.writeString(s);
      } else if (value instanceof Long || value instanceof Integer) {
        generator.writeNumber(((Number) value).longValue());
      } else if (value instanceof Boolean b) {
        generator.writeBoolean(b);
      } else if (value == null) {
        generator.writeNull();
      } else {
        // Records only hold strings, whole numbers and booleans; anything else is a bug here.
        throw new IllegalStateException("unexpected value type " + value.getClass().getSimpleName());
      }
    }
    generator.writeEndObject();
  }

  private static UserRecord record(JsonObject json, int index, Path file) {
    try {
      return UserRecord.fromJson(json);
    } catch (InvalidUserException e) {
      throw new UserDirectoryException(file, "users[" + index + "]: " + e.getMessage(), e);
    }
  }

  private static UserEntry tombstone(JsonObject json, int index, Path file) {
    try {
      return UserEntry.fromJson(json.put("removed", true));
    } catch (InvalidUserException e) {
      throw new UserDirectoryException(file, "removed[" + index + "]: " + e.getMessage(), e);
    }
  }
}
