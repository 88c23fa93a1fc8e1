package io.keepcluster.node.management;

import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.http.JsonContentType;
import io.keepcluster.node.logging.Audit;
import io.keepcluster.node.logging.LogSafe;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import org.slf4j.Logger;

/**
 * The console: static pages from the jar ({@code console/} on the class path) and its sign-in
 * endpoints. Sessions are kept in this node's memory (a console session is per node); the cookie
 * is HttpOnly and SameSite=Strict, and created only when someone signs in.
 */
final class ConsoleRoutes {

  private static final Logger AUDIT = Audit.LOG;

  private ConsoleRoutes() {}

  /** @param https the management port speaks TLS: the session cookie is then marked Secure */
  static void install(Vertx vertx, Router router, boolean https, ConsoleLoginHandler login) {
    SessionHandler sessions = SessionHandler.create(LocalSessionStore.create(vertx, "keepcluster.console"))
        .setSessionCookieName(ConsoleSession.COOKIE)
        .setCookieHttpOnlyFlag(true)
        .setCookieSecureFlag(https)
        .setCookieSameSite(CookieSameSite.STRICT)
        .setSessionTimeout(ConsoleSession.IDLE_TIMEOUT_MS)
        .setLazySession(true);
    router.route("/console/api/*").handler(sessions);
    router.route("/api/*").handler(sessions);
    router.post("/console/api/login").handler(JsonContentType.required()).handler(login);
    router.get("/console/api/session").handler(ctx -> {
      String operator = ConsoleSession.operator(ctx);
      if (operator == null) {
        ErrorResponses.send(ctx, 401, "Not signed in");
      } else {
        ErrorResponses.sendJson(ctx, 200, new JsonObject().put("operator", operator)
            .put("csrf", ConsoleSession.csrfToken(ctx)));
      }
    });
    router.post("/console/api/logout").handler(ctx -> {
      if (ConsoleSession.operator(ctx) != null && !ConsoleSession.csrfMatches(ctx)) {
        ErrorResponses.send(ctx, 403, "Missing or wrong CSRF token");
        return;
      }
      String operator = ConsoleSession.operator(ctx);
      ConsoleSession.signOut(ctx);
      if (operator != null) {
        AUDIT.info("event=console_signed_out operator={}", LogSafe.value(operator));
      }
      ctx.response().setStatusCode(204).end();
    });
    router.route("/console/api/*").handler(ctx -> ErrorResponses.send(ctx, 404, "Not found", ctx.request().path()));
    // Vert.x matches "/console" and "/console/" alike: only the bare paths are sent on.
    router.get("/").handler(ctx -> ctx.redirect("/console/"));
    router.get("/console").handler(ctx -> {
      if (ctx.request().path().equals("/console")) {
        ctx.redirect("/console/");
      } else {
        ctx.next();
      }
    });
    router.route("/console/*").handler(StaticHandler.create("console")
        .setCachingEnabled(false)
        .setDirectoryListing(false)
        .setIndexPage("index.html")
        .setDefaultContentEncoding("UTF-8"));
  }
}
