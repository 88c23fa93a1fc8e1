package io.keepcluster.node.management;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The console's session rules: a signed-in session holds the operator's name and a synchronizer
 * CSRF token; every state change made with the session cookie must echo that token in
 * {@value #CSRF_HEADER}. Sessions live in this node's memory only (a console session is per node).
 */
final class ConsoleSession {

  static final String COOKIE = "keepcluster.console";
  static final String CSRF_HEADER = "X-CSRF-Token";
  /** Sent by the console's own requests: a 401 then carries no Basic challenge (no browser dialog). */
  static final String CONSOLE_HEADER = "X-KeepCluster-Console";
  static final long IDLE_TIMEOUT_MS = 30 * 60 * 1000L;

  private static final String OPERATOR = "operator";
  private static final String CSRF = "csrf";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ConsoleSession() {}

  /** The signed-in operator of the request's session, or null. */
  static String operator(RoutingContext ctx) {
    Session session = ctx.session();
    return session == null ? null : session.get(OPERATOR);
  }

  static String csrfToken(RoutingContext ctx) {
    Session session = ctx.session();
    return session == null ? null : session.get(CSRF);
  }

  /** Signs {@code operator} in with a fresh session id (no fixation) and a fresh CSRF token. */
  static String signIn(RoutingContext ctx, String operator) {
    Session session = ctx.session();
    session.regenerateId();
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    session.put(OPERATOR, operator);
    session.put(CSRF, token);
    return token;
  }

  static void signOut(RoutingContext ctx) {
    Session session = ctx.session();
    if (session != null) {
      session.destroy();
    }
  }

  /** True when the request echoes the session's CSRF token (compared in constant time). */
  static boolean csrfMatches(RoutingContext ctx) {
    String expected = csrfToken(ctx);
    String presented = ctx.request().getHeader(CSRF_HEADER);
    return expected != null && presented != null && MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  /** GET and HEAD change nothing; every other method is a state change. */
  static boolean changesState(RoutingContext ctx) {
    String method = ctx.request().method().name();
    return !method.equals("GET") && !method.equals("HEAD");
  }

  static boolean fromConsole(RoutingContext ctx) {
    return ctx.request().getHeader(CONSOLE_HEADER) != null;
  }
}
