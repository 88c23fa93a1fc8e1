package io.keepcluster.client.vertx;

import com.nimbusds.jose.jwk.JWK;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Vert.x HTTP server on 127.0.0.1 that plays a KeepCluster node's well-known endpoints:
 * the test decides the keys, the issuer, the Cache-Control header, or a broken body, and reads
 * how many times each endpoint was fetched.
 */
final class FakeCluster {

  static final String ISSUER = "CN=KeepCluster/F=MultiDomain";

  private final HttpServer server;
  private final int port;
  private volatile String jwksBody = "{\"keys\":[]}";
  private volatile String cacheControl = "public, max-age=60";
  private volatile String issuer = ISSUER;
  final AtomicInteger jwksFetches = new AtomicInteger();
  final AtomicInteger discoveryFetches = new AtomicInteger();
  final AtomicInteger otherHits = new AtomicInteger();

  private FakeCluster(HttpServer server) {
    this.server = server;
    this.port = server.actualPort();
  }

  static Future<FakeCluster> start(Vertx vertx, JWK... keys) {
    FakeCluster[] holder = new FakeCluster[1];
    return vertx.createHttpServer()
        .requestHandler(req -> holder[0].handle(req))
        .listen(0, "127.0.0.1")
        .map(server -> {
          holder[0] = new FakeCluster(server);
          holder[0].publish(keys);
          return holder[0];
        });
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  String jwksUrl() {
    return baseUrl() + "/.well-known/jwks.json";
  }

  /** Publishes the public halves of these keys, and only these. */
  void publish(JWK... keys) {
    JsonArray array = new JsonArray();
    for (JWK key : keys) {
      array.add(new JsonObject(key.toPublicJWK().toJSONObject()));
    }
    jwksBody = new JsonObject().put("keys", array).encode();
  }

  void serveRaw(String body) {
    jwksBody = body;
  }

  void cacheControl(String value) {
    cacheControl = value;
  }

  void issuer(String value) {
    issuer = value;
  }

  Future<Void> stop() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    switch (req.path()) {
      case "/.well-known/openid-configuration" -> {
        discoveryFetches.incrementAndGet();
        req.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("issuer", issuer).put("jwks_uri", jwksUrl()).encode());
      }
      case "/.well-known/jwks.json" -> {
        jwksFetches.incrementAndGet();
        req.response().putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", cacheControl)
            .end(jwksBody);
      }
      default -> {
        otherHits.incrementAndGet();
        req.response().setStatusCode(404).end();
      }
    }
  }
}
