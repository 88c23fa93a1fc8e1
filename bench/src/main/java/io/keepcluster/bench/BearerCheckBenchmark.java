package io.keepcluster.bench;

import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.keys.EphemeralKey;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeysetCredentials;
import io.keepcluster.node.tokens.KeyRingJwtAuth;
import io.keepcluster.node.tokens.LocalRevocations;
import io.keepcluster.node.tokens.TokenIssuer;
import io.keepcluster.node.tokens.TokenRejectedException;
import io.keepcluster.node.tokens.TokenRequest;
import io.keepcluster.node.tokens.TokenVerifier;
import io.keepcluster.node.tokens.VerifiedToken;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 9: the node's bearer check through Vert.x Web's {@code JWTAuthHandler} over
 * {@code KeyRingJwtAuth}, against the check it replaced ({@link LegacyBearerCheck}), in the
 * same run and JVM.
 *
 * <ul>
 *   <li>{@code *Request}: a real {@code GET /api/v1/userinfo} over HTTP/1.1 keep-alive on
 *       127.0.0.1: a Vert.x server with a router of the guard and a userinfo handler, the JDK's
 *       {@code HttpClient} (HTTP/1.1, keep-alive), one request in flight.
 *   <li>{@code legacyVerify} / {@code keyRingJwtAuthAuthenticate}: the check without HTTP, to
 *       show what building the vertx-auth {@code User} costs on top of {@code TokenVerifier}.
 * </ul>
 *
 * HS256 (the ephemeral key, the cheapest signature: the worst case for any overhead) and RS256
 * (a keyset).
 *
 * <pre>java -jar bench/target/keepcluster-bench.jar BearerCheckBenchmark -f 1 -wi 3 -w 1 -i 5 -r 2</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BearerCheckBenchmark {

  private static final String HOST = "127.0.0.1";
  private static final String PATH = "/api/v1/userinfo";

  @Param({"HS256", "RS256"})
  public String alg;

  private Vertx vertx;
  private HttpClient client;
  private int legacyPort;
  private int jwtAuthPort;
  private String authorization;
  private String token;
  private TokenVerifier verifier;
  private KeyRingJwtAuth auth;

  @Setup
  public void setUp() throws Exception {
    TokenSettings settings = new TokenSettings(Duration.ofHours(2), Duration.ofDays(1),
        "https://keep.bench.test", "Domino", Duration.ofSeconds(5));
    EphemeralKey ephemeral = EphemeralKey.create("bench", settings.issuer(), new SecureRandom());
    KeyRingSnapshot snapshot;
    if ("HS256".equals(alg)) {
      snapshot = new KeyRingSnapshot(ephemeral.signing(), List.of(ephemeral.verifying()));
    } else {
      var files = new KeysetGenerator().generate(KeysetName.of("bench"), KeyAlgorithmSpec.rsa(2048),
          Clock.systemUTC());
      Keyset keyset = new KeysetLoader().load(files);
      snapshot = new KeyRingSnapshot(KeysetCredentials.signing(keyset),
          List.of(ephemeral.verifying(), KeysetCredentials.verifying(keyset, Optional.empty())));
    }
    KeyRing ring = new KeyRing(snapshot);
    verifier = new TokenVerifier(ring, settings, new LocalRevocations(Clock.systemUTC()), Clock.systemUTC());
    auth = new KeyRingJwtAuth(verifier);
    token = new TokenIssuer(ring, settings, Clock.systemUTC())
        .issue(new TokenRequest("CN=Alice/O=Acme", "alice@acme.test", "MAIL $DATA")).serialized();
    authorization = "Bearer " + token;

    vertx = Vertx.vertx();
    Router legacy = Router.router(vertx);
    legacy.route("/api/v1/*").handler(new LegacyBearerCheck(verifier));
    legacy.get(PATH).handler(LegacyBearerCheck::userinfo);
    Router jwtAuth = Router.router(vertx);
    jwtAuth.route("/api/v1/*").handler(JWTAuthHandler.create(auth))
        .handler(BearerCheckBenchmark::requireUser);
    jwtAuth.get(PATH).handler(BearerCheckBenchmark::userinfo);
    legacyPort = listen(legacy);
    jwtAuthPort = listen(jwtAuth);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    String legacyBody = get(legacyPort);
    String jwtAuthBody = get(jwtAuthPort);
    if (!legacyBody.equals(jwtAuthBody)) {
      throw new IllegalStateException("the two paths answer differently: " + legacyBody + " / " + jwtAuthBody);
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The product's {@code BearerRefusals.requireUser} (package-private in the node). */
  private static void requireUser(RoutingContext ctx) {
    if (ctx.user() == null) {
      ctx.fail(401);
    } else {
      ctx.next();
    }
  }

  /** The product's {@code UserInfoHandler} (package-private in the node): claims from ctx.user(). */
  private static void userinfo(RoutingContext ctx) {
    User user = ctx.user();
    JsonObject claims = user.principal();
    JsonObject body = new JsonObject()
        .put("sub", claims.getValue("sub"))
        .put("CN", claims.getValue("CN", claims.getValue("sub")))
        .put("email", claims.getValue("email"))
        .put("scope", claims.getValue("scope"))
        .put("iss", claims.getValue("iss"))
        .put("exp", user.attributes().getValue("exp"))
        .put("verifiedBy", user.attributes().getJsonObject(KeyRingJwtAuth.VERIFIED_BY));
    ErrorResponses.sendJson(ctx, 200, body);
  }

  private int listen(Handler<io.vertx.core.http.HttpServerRequest> router) throws Exception {
    return vertx.createHttpServer().requestHandler(router).listen(0, HOST)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  private String get(int port) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + PATH))
        .header("Authorization", authorization).GET().build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("status " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  @Benchmark
  public String legacyRequest() throws Exception {
    return get(legacyPort);
  }

  @Benchmark
  public String jwtAuthHandlerRequest() throws Exception {
    return get(jwtAuthPort);
  }

  @Benchmark
  public VerifiedToken legacyVerify() throws TokenRejectedException {
    return verifier.verify(token);
  }

  @Benchmark
  public User keyRingJwtAuthAuthenticate() {
    return auth.authenticate(new TokenCredentials(token)).result();
  }
}
