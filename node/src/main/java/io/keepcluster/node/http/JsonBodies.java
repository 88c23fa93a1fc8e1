package io.keepcluster.node.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** Reads a request body that must be one JSON object, answering 400 itself when it is not. */
public final class JsonBodies {

  private JsonBodies() {}

  /** The body as an object; empty (after a 400 with {@code expected} as details) otherwise. */
  public static Optional<JsonObject> object(RoutingContext ctx, String expected) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body != null) {
        return Optional.of(body);
      }
    } catch (RuntimeException e) {
      // Not JSON, or JSON but not an object: both are answered below.
    }
    ErrorResponses.send(ctx, 400, "request body must be a JSON object", expected);
    return Optional.empty();
  }
}
