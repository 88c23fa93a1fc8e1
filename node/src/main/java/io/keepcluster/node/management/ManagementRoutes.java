package io.keepcluster.node.management;

import io.keepcluster.node.health.HealthReporter;
import io.keepcluster.node.status.ClusterView;
import io.keepcluster.node.status.KeyStatusSource;
import io.keepcluster.node.http.ApiRoutes;
import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.http.JsonContentType;
import io.keepcluster.node.http.JsonErrors;
import io.keepcluster.node.metrics.NodeMetrics;
import io.keepcluster.node.users.HashingPool;
import io.keepcluster.shared.config.ConfigFileException;
import io.keepcluster.shared.config.ConfigOverlay;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The management port: its JSON API (every {@code /api/*} route needs a management account, by
 * HTTP Basic or the console's session) and the console under {@code /console/}.
 */
public final class ManagementRoutes {

  private ManagementRoutes() {}

  /** What the management API acts on. */
  public record Services(ManagementAccounts accounts, HashingPool hashing, HealthReporter health,
      Path configDir, Clock clock, Supplier<CompletionStage<Void>> rescan, KeysetRevoker revoker,
      KeyStatusSource keysets, NodeMetrics metrics, KeysetRetirer retirer, Map<String, String> env,
      Instant startedAt, ClusterView cluster, UsersApi users, boolean https) {}

  public static Router create(Vertx vertx, Services services) {
    ManagementAccounts accounts = services.accounts();
    HashingPool hashing = services.hashing();
    HealthReporter health = services.health();
    Router router = Router.router(vertx);
    router.route().handler(new SecurityHeaders());
    router.route().handler(BodyHandler.create(false).setBodyLimit(ApiRoutes.MAX_BODY_BYTES));
    ConsoleRoutes.install(vertx, router, services.https(), new ConsoleLoginHandler(accounts, hashing, services.metrics(),
        health.report().getString("node")));
    // JSON posts check their Content-Type before Basic auth spends a hash on them.
    router.post("/api/idp-certificates").handler(JsonContentType.required());
    services.users().guard(router);
    router.route("/api/*").handler(new OperatorAuthHandler(new BasicAuthHandler(accounts, hashing,
        services.metrics())));
    router.get("/api/node").handler(ctx -> ErrorResponses.sendJson(ctx, 200, health.report()));
    router.post("/api/idp-certificates").handler(new IdpCertificateHandler(vertx,
        services.configDir(), new KeysetGenerator(), services.clock(), services.rescan()));
    router.get("/api/idp-certificates/name-rule").handler(ctx -> ErrorResponses.sendJson(ctx, 200,
        new JsonObject().put("pattern", KeysetName.PATTERN).put("message", KeysetName.RULE_MESSAGE)));
    router.get("/api/keysets").handler(ctx -> {
      JsonObject report = health.report();
      ErrorResponses.sendJson(ctx, 200, new JsonObject().put("keysets", services.keysets().keysets())
          .put("signing", report.getJsonObject("keys").getString("signing"))
          .put("node", report.getString("node"))
          .put("members", report.getJsonObject("cluster").getJsonArray("members"))
          .put("problems", report.getJsonArray("problems")));
    });
    router.post("/api/keysets/:kid/revoke").handler(new RevokeHandler(vertx, services.revoker()));
    router.post("/api/keysets/:kid/retire").handler(new RetireHandler(vertx, services.retirer()));
    router.get("/api/providers").handler(ctx -> ErrorResponses.sendJson(ctx, 200,
        new JsonObject().put("providers", health.report().getJsonArray("providers"))));
    router.get("/api/cluster").handler(ctx -> ErrorResponses.sendJson(ctx, 200,
        cluster(health.report(), services.startedAt(), services.clock(), services.cluster())));
    ConfigSources config = new ConfigSources(services.configDir(), services.env(),
        ConfigOverlay.withBundledDefaults());
    router.get("/api/config").handler(ctx -> vertx.executeBlocking(config::describe, false)
        .onSuccess(view -> ErrorResponses.sendJson(ctx, 200, view))
        .onFailure(failure -> ErrorResponses.send(ctx, 500, "Could not read the configuration",
            failure instanceof ConfigFileException ? failure.getMessage() : failure.toString())));
    services.users().mount(router);
    JsonErrors.install(router);
    return router;
  }

  /**
   * This node's view of its cluster: the members it sees, with the version and process start each
   * member states about itself, and this node's own version and uptime.
   */
  private static JsonObject cluster(JsonObject report, Instant startedAt, Clock clock, ClusterView view) {
    JsonObject cluster = report.getJsonObject("cluster");
    Map<String, ClusterView.MemberDetails> details = view.memberDetails();
    JsonArray members = new JsonArray();
    for (Object id : cluster.getJsonArray("members")) {
      JsonObject member = new JsonObject().put("node", id);
      ClusterView.MemberDetails about = details.get(String.valueOf(id));
      // Every row the same way (what the member states: its process start), so rows compare.
      if (about != null) {
        member.put("version", about.version()).put("startedAt", about.startedAt());
      } else if (id.equals(report.getString("node"))) {
        member.put("version", report.getString("version")).put("startedAt", startedAt.toString());
      }
      members.add(member);
    }
    return new JsonObject().put("name", cluster.getString("name"))
        .put("node", report.getString("node"))
        .put("status", report.getString("status"))
        .put("version", report.getString("version"))
        .put("startedAt", startedAt.toString())
        .put("uptimeSeconds", Duration.between(startedAt, clock.instant()).toSeconds())
        .put("now", clock.instant().toString())
        .put("members", members)
        .put("intruders", cluster.getJsonArray("intruders"));
  }
}
