package io.keepcluster.node.management;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every answer of the management port. The console loads only its own scripts and
 * styles (no inline script or style attribute, so no {@code 'unsafe-inline'}), may not be framed
 * (clickjacking), and nothing it shows is cached (JSON answers set {@code no-store} themselves).
 */
final class SecurityHeaders implements Handler<RoutingContext> {

  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
      + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CSP)
        .set("X-Frame-Options", "DENY")
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("Cross-Origin-Opener-Policy", "same-origin")
        .set("Cache-Control", "no-store");
    ctx.next();
  }
}
