package io.keepcluster.node.http;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids and client addresses for log lines about a request. An incoming
 * {@value #HEADER} is kept when it is sane (1-64 of {@code A-Z a-z 0-9 . _ : -}), so a load
 * balancer's or caller's id follows the request through; otherwise the node makes one. The id is
 * echoed in the response's {@value #HEADER}. The client is the TCP peer's address: a
 * {@code X-Forwarded-For} is anyone's to write and is not trusted.
 */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  static final int MAX_LENGTH = 64;
  private static final String ID_KEY = "keepcluster.requestId";

  private RequestIds() {}

  /** The id to use for a request that carried {@code incoming} (null when it carried none). */
  public static String accept(String incoming) {
    return sane(incoming) ? incoming : generate();
  }

  /** Whether an incoming id may be logged and echoed as it is. */
  public static boolean sane(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** 16 hex digits: not a secret, only unique enough to find one request's lines. */
  static String generate() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  /** Gives the request its id (from the header or new) and echoes it on the response. */
  static String assign(RoutingContext ctx) {
    String id = accept(ctx.request().getHeader(HEADER));
    ctx.put(ID_KEY, id);
    ctx.addHeadersEndHandler(v -> ctx.response().putHeader(HEADER, id));
    return id;
  }

  /** The id of this request ({@code -} outside a request the node observes). */
  public static String of(RoutingContext ctx) {
    String id = ctx.get(ID_KEY);
    return id == null ? "-" : id;
  }

  /** The peer's IP address, without the port. */
  public static String client(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    if (remote == null) {
      return "-";
    }
    String host = remote.hostAddress();
    return host == null ? String.valueOf(remote.host()) : host;
  }

  /** {@code client=... request_id=...}, to end a log line about this request. */
  public static String fields(RoutingContext ctx) {
    return "client=" + client(ctx) + " request_id=" + of(ctx);
  }
}
