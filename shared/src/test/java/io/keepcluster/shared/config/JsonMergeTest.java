package io.keepcluster.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonMergeTest {

  @Test
  @DisplayName("nested objects merge key by key at every depth")
  void deepMerge() {
    JsonObject base = new JsonObject("{\"a\":{\"b\":{\"c\":1,\"d\":2},\"e\":3}}");
    JsonObject overlay = new JsonObject("{\"a\":{\"b\":{\"d\":20,\"f\":30}}}");

    assertEquals(new JsonObject("{\"a\":{\"b\":{\"c\":1,\"d\":20,\"f\":30},\"e\":3}}"),
        JsonMerge.merge(base, overlay));
  }

  @Test
  @DisplayName("an explicit null in the overlay replaces the base value")
  void nullReplaces() {
    assertEquals(new JsonObject().putNull("a"),
        JsonMerge.merge(new JsonObject().put("a", 1), new JsonObject().putNull("a")));
  }

  @Test
  @DisplayName("neither input is modified, and the result shares no arrays or objects with them")
  void inputsUntouched() {
    JsonObject base = new JsonObject("{\"o\":{\"x\":1},\"l\":[1]}");
    JsonObject overlay = new JsonObject("{\"o\":{\"y\":2},\"l\":[2]}");
    JsonObject baseCopy = base.copy();
    JsonObject overlayCopy = overlay.copy();

    JsonObject merged = JsonMerge.merge(base, overlay);
    merged.getJsonArray("l").add(3);
    merged.getJsonObject("o").put("z", 3);

    assertEquals(baseCopy, base);
    assertEquals(overlayCopy, overlay);
    assertEquals(new JsonArray().add(2), overlay.getJsonArray("l"));
  }
}
