package io.keepcluster.node.http;

import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.logging.Audit;
import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.node.metrics.NodeMetrics;
import io.keepcluster.node.tokens.IssuedToken;
import io.keepcluster.node.tokens.TokenIssuer;
import io.keepcluster.node.tokens.TokenRequest;
import io.keepcluster.node.users.LoginOutcome;
import io.keepcluster.node.users.HashingBusyException;
import io.keepcluster.node.users.HashingPool;
import io.keepcluster.node.users.LoginService;
import io.keepcluster.node.users.Scopes;
import io.keepcluster.shared.users.UserRecord;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/** {@code POST /api/v1/auth}: DRAPI's login, answering with its response shape. */
final class LoginHandler implements Handler<RoutingContext> {

  static final String BUSY = "Too many logins in progress, retry shortly";

  private final LoginService logins;
  private final TokenIssuer issuer;
  private final TokenSettings settings;
  private final HashingPool hashing;
  private final NodeMetrics metrics;
  private final BooleanSupplier disabled;

  LoginHandler(LoginService logins, TokenIssuer issuer, TokenSettings settings,
      HashingPool hashing, NodeMetrics metrics, BooleanSupplier disabled) {
    this.logins = logins;
    this.issuer = issuer;
    this.settings = settings;
    this.hashing = hashing;
    this.metrics = metrics;
    this.disabled = disabled;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    if (disabled.getAsBoolean()) {
      ErrorResponses.send(ctx, 403, "Domino login is disabled on this cluster (disableDominoLogin);"
          + " use a token from a configured identity provider");
      return;
    }
    LoginRequest request;
    try {
      request = LoginRequest.parse(ctx.body().asString());
    } catch (LoginRequest.Invalid e) {
      ErrorResponses.send(ctx, 400, "Bad login request", e.getMessage());
      return;
    }
    // Password hashing is deliberately slow: never on the event loop, and never queued without
    // bound. A full pool answers 503 at once rather than making every login wait.
    hashing.<Attempt>submit(() -> {
      try {
        LoginOutcome outcome = logins.authenticate(request.username(), request.password());
        // Looked up here, off the event loop: the directory may read its file.
        return new Attempt(outcome, outcome.user().isPresent() ? LogSafe.value(request.username())
            : logins.loggableName(request.username()));
      } finally {
        Arrays.fill(request.password(), '\0');
      }
    }).onComplete(result -> {
      if (result.failed() && result.cause() instanceof HashingBusyException) {
        Arrays.fill(request.password(), '\0');
        metrics.hashingRejected("login");
        metrics.login("busy", start);
        Audit.LOG.info("event=login_failed user={} reason=busy {}", LogSafe.unknownName(request.username()),
            RequestIds.fields(ctx));
        ctx.response().putHeader("Retry-After", "1");
        ErrorResponses.send(ctx, 503, BUSY);
        return;
      }
      if (result.failed()) {
        ErrorResponses.send(ctx, 500, "Login failed on the server");
        return;
      }
      LoginOutcome outcome = result.result().outcome();
      if (outcome.user().isEmpty()) {
        // One answer for every failure; the reason is counted and logged for the operator only.
        metrics.login(outcome.reason().label(), start);
        Audit.LOG.info("event=login_failed user={} reason={} {}", result.result().loggedName(),
            outcome.reason().label(), RequestIds.fields(ctx));
        ErrorResponses.send(ctx, 401, ErrorResponses.INVALID_CREDENTIALS);
        return;
      }
      respond(ctx, request.username(), outcome.user().get(), request.scope(), start);
    });
  }

  /** What a password check came to, and the name to log it under. */
  private record Attempt(LoginOutcome outcome, String loggedName) {}

  private void respond(RoutingContext ctx, String username, UserRecord user, String requestedScope,
      long start) {
    String scope = Scopes.narrow(user.scopes(), requestedScope);
    if (scope.isEmpty()) {
      metrics.login("scope_refused", start);
      Audit.LOG.info("event=login_failed user={} reason=scope_refused {}", LogSafe.value(username),
          RequestIds.fields(ctx));
      ErrorResponses.send(ctx, 403, "None of the requested scopes is granted to this user");
      return;
    }
    IssuedToken token = issuer.issue(new TokenRequest(user.dn(), user.email(), scope));
    metrics.login("ok", start);
    Audit.LOG.info("event=login_ok user={} {}", LogSafe.value(username), RequestIds.fields(ctx));
    JsonObject body = new JsonObject()
        .put("bearer", token.serialized())
        .put("claims", new JsonObject(token.claims().toJSONObject()))
        .put("leeway", settings.leeway().toSeconds())
        .put("expSeconds", token.lifetime().toSeconds())
        .put("issueDate", token.issuedAt().toString());
    ErrorResponses.sendJson(ctx, 200, body);
  }
}
