package io.keepcluster.node.management;

import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.http.JsonBodies;
import io.keepcluster.node.logging.Audit;
import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.node.metrics.NodeMetrics;
import io.keepcluster.node.users.HashingBusyException;
import io.keepcluster.node.users.HashingPool;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /console/api/login} {@code {"username","password"}}: checks a management account
 * with the same rules and the same cluster-wide lockout as HTTP Basic, then signs the session in
 * and answers the CSRF token the console sends back on every state change.
 */
final class ConsoleLoginHandler implements Handler<RoutingContext> {

  static final String WRONG = "Wrong account name or password";
  static final String LOCKED = "Too many failed sign-ins: this account is locked for now."
      + " Try again later.";

  private static final Logger AUDIT = Audit.LOG;
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleLoginHandler.class);

  private final ManagementAccounts accounts;
  private final HashingPool hashing;
  private final NodeMetrics metrics;
  private final String nodeId;

  ConsoleLoginHandler(ManagementAccounts accounts, HashingPool hashing, NodeMetrics metrics, String nodeId) {
    this.accounts = accounts;
    this.hashing = hashing;
    this.metrics = metrics;
    this.nodeId = nodeId;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx, "{\"username\",\"password\"}").orElse(null);
    if (body == null) {
      return;
    }
    if (!(body.getValue("username") instanceof String name) || name.isEmpty()
        || !(body.getValue("password") instanceof String given)) {
      ErrorResponses.send(ctx, 400, "Account name and password are required");
      return;
    }
    char[] password = given.toCharArray();
    hashing.submit(() -> {
      try {
        boolean ok = accounts.authenticate(name, password);
        return ok ? Outcome.SIGNED_IN : accounts.locked(name) ? Outcome.LOCKED : Outcome.WRONG;
      } finally {
        Arrays.fill(password, '\0');
      }
    }).onComplete(result -> {
      if (result.failed() && result.cause() instanceof HashingBusyException) {
        Arrays.fill(password, '\0');
        metrics.hashingRejected("management");
        ctx.response().putHeader("Retry-After", "1");
        ErrorResponses.send(ctx, 503, "Too many password checks in progress, retry shortly");
      } else if (result.failed()) {
        ErrorResponses.send(ctx, 500, "Could not check the password");
      } else if (result.result() == Outcome.SIGNED_IN) {
        String csrf = ConsoleSession.signIn(ctx, name);
        AUDIT.info("event=console_signed_in operator={} node={}", LogSafe.value(name), nodeId);
        ErrorResponses.sendJson(ctx, 200, new JsonObject().put("operator", name).put("csrf", csrf)
            .put("node", nodeId));
      } else {
        LOG.info("event=management_login_failed account={} via=console locked={}",
            accounts.exists(name) ? LogSafe.value(name) : LogSafe.unknownName(name),
            result.result() == Outcome.LOCKED);
        ErrorResponses.send(ctx, 401, result.result() == Outcome.LOCKED ? LOCKED : WRONG);
      }
    });
  }

  private enum Outcome { SIGNED_IN, WRONG, LOCKED }
}
