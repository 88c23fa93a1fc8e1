package io.keepcluster.node.http;

import io.keepcluster.node.config.DominoLoginSwitch;
import io.keepcluster.node.config.NodeConfig;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.metrics.NodeMetrics;
import io.keepcluster.node.tokens.KeyRingJwtAuth;
import io.keepcluster.node.tokens.Revocations;
import io.keepcluster.node.tokens.TokenIssuer;
import io.keepcluster.node.tokens.TokenVerifier;
import io.keepcluster.node.users.HashingPool;
import io.keepcluster.node.users.LoginService;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.util.List;

/** The API port's routes: login, the bearer-protected {@code /api/v1/**}, and the well-known documents. */
public final class ApiRoutes {

  /** DRAPI's login body is tiny; anything larger is refused before it is parsed. */
  public static final int MAX_BODY_BYTES = 16 * 1024;

  private ApiRoutes() {}

  public record Services(
      NodeConfig config, KeyRing keyRing, TokenIssuer issuer, TokenVerifier verifier,
      LoginService logins, Revocations revocations, HashingPool hashing, NodeMetrics metrics,
      DominoLoginSwitch dominoLogin) {}

  public static Router create(Vertx vertx, Services services) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));

    // Content-Type first: a request the endpoint cannot read costs no token check and no hash.
    router.post("/api/v1/auth").handler(JsonContentType.required())
        .handler(new LoginHandler(services.logins(), services.issuer(), services.config().tokens(),
            services.hashing(), services.metrics(), services.dominoLogin()));

    router.post("/api/v1/auth/logout").handler(JsonContentType.required());
    BearerRefusals refusals = new BearerRefusals(services.verifier(), services.metrics());
    // Its own route: Vert.x allows no plain handler before an authentication handler on one route.
    router.route("/api/v1/*").handler(new EncryptedBearer(services.verifier())).failureHandler(refusals);
    router.route("/api/v1/*")
        .handler(JWTAuthHandler.create(new KeyRingJwtAuth(services.verifier(), services.metrics()::tokenVerified)))
        .handler(BearerRefusals::requireUser)
        .failureHandler(refusals);
    router.get("/api/v1/userinfo").handler(new UserInfoHandler());
    router.post("/api/v1/auth/logout").handler(new LogoutHandler(services.revocations()));

    WellKnownHandlers wellKnown = new WellKnownHandlers(services.keyRing(), services.config());
    router.route(WellKnownHandlers.JWKS_PATH).method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(wellKnown::jwks);
    for (String discovery : List.of("/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server")) {
      router.route(discovery).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(wellKnown::discovery);
    }
    router.route(WellKnownHandlers.AUTHORIZE_PATH).method(HttpMethod.GET).method(HttpMethod.POST)
        .handler(wellKnown::authorize);

    JsonErrors.install(router);
    return router;
  }
}
