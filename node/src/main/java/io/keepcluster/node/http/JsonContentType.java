package io.keepcluster.node.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Refuses a JSON endpoint's request unless it says {@code Content-Type: application/json}
 * (parameters such as {@code ; charset=utf-8} allowed): 415 in the project's JSON error shape.
 * Put it before anything that costs work (authentication, hashing), so a wrong request is cheap.
 */
public final class JsonContentType implements Handler<RoutingContext> {

  public static final String MESSAGE = "Content-Type must be application/json";

  private static final JsonContentType INSTANCE = new JsonContentType();

  private JsonContentType() {}

  public static Handler<RoutingContext> required() {
    return INSTANCE;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Content-Type");
    if (isJson(header)) {
      ctx.next();
      return;
    }
    ErrorResponses.send(ctx, 415, MESSAGE,
        header == null ? "no Content-Type header" : "got: " + mediaType(header));
  }

  static boolean isJson(String header) {
    return header != null && "application/json".equals(mediaType(header));
  }

  private static String mediaType(String header) {
    int semicolon = header.indexOf(';');
    String type = semicolon < 0 ? header : header.substring(0, semicolon);
    // Shown in details: keep it short and printable.
    type = type.strip().toLowerCase(Locale.ROOT);
    return type.length() > 100 ? type.substring(0, 100) : type;
  }
}
