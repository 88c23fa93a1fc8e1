package io.keepcluster.node.management;

import io.keepcluster.node.http.RequestIds;
import io.keepcluster.node.logging.Audit;
import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.node.metrics.NodeMetrics;
import io.keepcluster.node.users.HashingBusyException;
import io.keepcluster.node.users.HashingPool;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** HTTP Basic authentication of management accounts; the hash check runs off the event loop. */
final class BasicAuthHandler implements Handler<RoutingContext> {

  static final String OPERATOR = "keepcluster.operator";
  private static final Logger LOG = LoggerFactory.getLogger(BasicAuthHandler.class);

  private final ManagementAccounts accounts;
  private final HashingPool hashing;
  private final NodeMetrics metrics;

  BasicAuthHandler(ManagementAccounts accounts, HashingPool hashing, NodeMetrics metrics) {
    this.accounts = accounts;
    this.hashing = hashing;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String[] credentials = decode(header);
    if (credentials == null) {
      challenge(ctx);
      return;
    }
    String name = credentials[0];
    char[] password = credentials[1].toCharArray();
    hashing.submit(() -> {
      try {
        return accounts.authenticate(name, password);
      } finally {
        Arrays.fill(password, '\0');
      }
    }).onComplete(result -> {
      if (result.failed() && result.cause() instanceof HashingBusyException) {
        Arrays.fill(password, '\0');
        metrics.hashingRejected("management");
        ctx.response().putHeader("Retry-After", "1");
        ErrorResponses.send(ctx, 503, "Too many password checks in progress, retry shortly");
      } else if (result.succeeded() && result.result()) {
        ctx.put(OPERATOR, name);
        ctx.next();
      } else {
        Audit.LOG.info("event=management_login_failed account={} {}",
            accounts.exists(name) ? LogSafe.value(name) : LogSafe.unknownName(name), RequestIds.fields(ctx));
        challenge(ctx);
      }
    });
  }

  private static void challenge(RoutingContext ctx) {
    ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"KeepCluster management\"");
    ErrorResponses.send(ctx, 401, "Management account credentials required");
  }

  private static String[] decode(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
          StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon <= 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
