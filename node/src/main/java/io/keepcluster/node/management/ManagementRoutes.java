package io.keepcluster.node.management;

import io.keepcluster.node.health.HealthReporter;
import io.keepcluster.node.status.KeyStatusSource;
import io.keepcluster.node.http.ApiRoutes;
import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.http.JsonContentType;
import io.keepcluster.node.http.JsonErrors;
import io.keepcluster.node.metrics.NodeMetrics;
import io.keepcluster.node.users.HashingPool;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.keepcluster.shared.keys.KeysetGenerator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** The management port's JSON API; every route needs a management account. */
public final class ManagementRoutes {

  private ManagementRoutes() {}

  /** What the management API acts on. */
  public record Services(ManagementAccounts accounts, HashingPool hashing, HealthReporter health,
      Path configDir, Clock clock, Supplier<CompletionStage<Void>> rescan, KeysetRevoker revoker,
      KeyStatusSource keysets, NodeMetrics metrics, UsersApi users) {}

  public static Router create(Vertx vertx, Services services) {
    ManagementAccounts accounts = services.accounts();
    HashingPool hashing = services.hashing();
    HealthReporter health = services.health();
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(ApiRoutes.MAX_BODY_BYTES));
    // JSON posts check their Content-Type before Basic auth spends a hash on them.
    router.post("/api/idp-certificates").handler(JsonContentType.required());
    services.users().guard(router);
    router.route("/api/*").handler(new BasicAuthHandler(accounts, hashing, services.metrics()));
    router.get("/api/node").handler(ctx -> ErrorResponses.sendJson(ctx, 200, health.report()));
    router.post("/api/idp-certificates").handler(new IdpCertificateHandler(vertx,
        services.configDir(), new KeysetGenerator(), services.clock(), services.rescan()));
    router.get("/api/keysets").handler(ctx -> ErrorResponses.sendJson(ctx, 200,
        new io.vertx.core.json.JsonObject().put("keysets", services.keysets().keysets())));
    router.post("/api/keysets/:kid/revoke").handler(new RevokeHandler(vertx, services.revoker()));
    services.users().mount(router);
    JsonErrors.install(router);
    return router;
  }
}
