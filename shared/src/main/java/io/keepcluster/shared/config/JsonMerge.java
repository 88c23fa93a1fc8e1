package io.keepcluster.shared.config;

import io.vertx.core.json.JsonObject;

/** DRAPI's overlay rule: objects merge key by key, everything else (arrays included) is replaced. */
public final class JsonMerge {

  private JsonMerge() {}

  /** Returns a new object: {@code base} overlaid by {@code overlay}; neither input is modified. */
  public static JsonObject merge(JsonObject base, JsonObject overlay) {
    JsonObject result = base.copy();
    for (String key : overlay.fieldNames()) {
      Object incoming = overlay.getValue(key);
      Object existing = result.getValue(key);
      if (incoming instanceof JsonObject incomingObject && existing instanceof JsonObject existingObject) {
        result.put(key, merge(existingObject, incomingObject));
      } else {
        result.put(key, incoming instanceof JsonObject o ? o.copy() : copyValue(incoming));
      }
    }
    return result;
  }

  private static Object copyValue(Object value) {
    return value instanceof io.vertx.core.json.JsonArray array ? array.copy() : value;
  }
}
