package io.keepcluster.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * The reference servers of the HTTP throughput table, each as its own process (one event loop,
 * like the node pinned to one core):
 * <ul>
 *   <li>{@code hello PORT}: a Vert.x 5 router answering {@code GET /} with a short text (the HTTP
 *       stack's ceiling);
 *   <li>{@code jwt RS256|ES256 PORT}: stock {@code JWTAuthHandler} over vertx-auth-jwt's own
 *       {@code JWTAuth} with one freshly generated key, answering the principal as JSON; prints
 *       {@code token=...} (a token it signed, valid one hour) for the load generator.
 * </ul>
 * Run: {@code java -cp bench/target/keepcluster-bench.jar io.keepcluster.bench.StockServers hello 18080}.
 */
public final class StockServers {

  private StockServers() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    int port;
    if (args[0].equals("hello")) {
      port = Integer.parseInt(args[1]);
      router.get("/").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain").end("hello"));
    } else {
      String alg = args[1];
      port = Integer.parseInt(args[2]);
      KeyPairGenerator generator;
      if (alg.startsWith("ES")) {
        generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
      }
      KeyPair pair = generator.generateKeyPair();
      JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(pem("PUBLIC KEY", pair.getPublic().getEncoded())))
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded()))));
      String token = auth.generateToken(new JsonObject().put("sub", "CN=Alice/O=Acme").put("scope", "MAIL")
          .put("aud", "Domino").put("iss", "bench"), new JWTOptions().setAlgorithm(alg).setExpiresInSeconds(3600));
      System.out.println("token=" + token);
      router.get("/").handler(JWTAuthHandler.create(auth));
      router.get("/").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
          .end(ctx.user().principal().encode()));
    }
    vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1")
        .onSuccess(server -> System.out.println("listening port=" + server.actualPort()))
        .onFailure(e -> {
          System.err.println("cannot listen: " + e.getMessage());
          System.exit(1);
        });
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
