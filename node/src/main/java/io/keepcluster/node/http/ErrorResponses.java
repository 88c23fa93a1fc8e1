package io.keepcluster.node.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Every error leaves as JSON {@code {"status","message","details"?}}. */
public final class ErrorResponses {

  public static final String INVALID_CREDENTIALS = "Invalid credentials or account locked";

  /**
   * The one message of every refused bearer token. The precise reason goes to metrics and the log
   * only: saying "unknown kid" or "not the key's algorithm" would tell a caller which kids exist
   * and with which algorithm.
   */
  public static final String INVALID_TOKEN = "Invalid or expired token";

  private ErrorResponses() {}

  public static void send(RoutingContext ctx, int status, String message) {
    send(ctx, status, message, null);
  }

  public static void send(RoutingContext ctx, int status, String message, String details) {
    if (ctx.response().ended() || ctx.response().headWritten()) {
      return;
    }
    JsonObject body = new JsonObject().put("status", status).put("message", message);
    if (details != null) {
      body.put("details", details);
    }
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /**
   * RFC 6750: a missing or bad token gets 401 with a Bearer challenge, the same body and the same
   * challenge whatever the reason.
   */
  public static void invalidToken(RoutingContext ctx) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    send(ctx, 401, INVALID_TOKEN);
  }

  public static void sendJson(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
