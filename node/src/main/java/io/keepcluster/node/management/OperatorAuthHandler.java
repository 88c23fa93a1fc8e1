package io.keepcluster.node.management;

import io.keepcluster.node.http.ErrorResponses;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may call {@code /api/*}: a script with HTTP Basic (checked by {@link BasicAuthHandler},
 * no CSRF token: a browser never attaches Basic credentials cross-site on its own here), or the
 * console with its session cookie, which for a state change must also carry the session's CSRF
 * token. A request with an {@code Authorization} header is judged on that header alone.
 */
final class OperatorAuthHandler implements Handler<RoutingContext> {

  private final BasicAuthHandler basic;

  OperatorAuthHandler(BasicAuthHandler basic) {
    this.basic = basic;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().getHeader("Authorization") != null) {
      basic.handle(ctx);
      return;
    }
    String operator = ConsoleSession.operator(ctx);
    if (operator == null) {
      if (ConsoleSession.fromConsole(ctx)) {
        ErrorResponses.send(ctx, 401, "Not signed in", "sign in to the console again");
      } else {
        basic.handle(ctx); // answers the Basic challenge
      }
      return;
    }
    if (ConsoleSession.changesState(ctx) && !ConsoleSession.csrfMatches(ctx)) {
      ErrorResponses.send(ctx, 403, "Missing or wrong CSRF token",
          "a console request that changes state must carry the session's " + ConsoleSession.CSRF_HEADER + " header");
      return;
    }
    ctx.put(BasicAuthHandler.OPERATOR, operator);
    ctx.next();
  }
}
