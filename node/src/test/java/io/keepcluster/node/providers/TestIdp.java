package io.keepcluster.node.providers;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An independent identity provider for tests: a Vert.x HTTP server on 127.0.0.1 (port 0) serving
 * a discovery document and a JWKS, counting the JWKS requests, and signing tokens with Nimbus
 * (never with the product's signing code). Its published keys and its answers can be changed
 * while the node runs: rollover, garbage, oversized, down.
 */
final class TestIdp implements AutoCloseable {

  static final String REALM = "/realms/acme";

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final Map<String, RSAKey> keys = new LinkedHashMap<>();
  private final AtomicInteger jwksRequests = new AtomicInteger();
  private volatile List<String> published = List.of();
  private volatile String jwksOverride;
  private volatile String cacheControl = "max-age=300";

  TestIdp() {
    server = vertx.createHttpServer().requestHandler(request -> {
      String path = request.path();
      if (path.equals(REALM + "/.well-known/openid-configuration")) {
        request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
            .put("issuer", issuer()).put("jwks_uri", baseUrl() + REALM + "/protocol/openid-connect/certs")
            .encode());
      } else if (path.equals(REALM + "/protocol/openid-connect/certs")) {
        jwksRequests.incrementAndGet();
        String body = jwksOverride != null ? jwksOverride : jwks();
        request.response().putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", cacheControl).end(body);
      } else {
        request.response().setStatusCode(404).end();
      }
    });
    try {
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("test IdP did not start", e);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  String issuer() {
    return baseUrl() + REALM;
  }

  int jwksRequests() {
    return jwksRequests.get();
  }

  /** Makes an RSA key with this kid and publishes it (with the keys already published). */
  RSAKey addKey(String kid) {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.RS256).generate();
      keys.put(kid, key);
      List<String> next = new ArrayList<>(published);
      next.add(kid);
      published = List.copyOf(next);
      return key;
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Publishes only these kids from now on. */
  void publishOnly(String... kids) {
    published = List.of(kids);
  }

  RSAKey key(String kid) {
    return keys.get(kid);
  }

  /** Answers the JWKS URL with this body instead of the keys; null restores the keys. */
  void serveJwks(String body) {
    jwksOverride = body;
  }

  private String jwks() {
    return new JWKSet(published.stream().map(kid -> (com.nimbusds.jose.jwk.JWK) keys.get(kid).toPublicJWK())
        .toList()).toString();
  }

  /** Standard claims a good token of this IdP carries; {@code edit} changes them. */
  JWTClaimsSet.Builder claims(String audience) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(issuer()).audience(audience)
        .subject("f:1234:alice").claim("preferred_username", "alice@acme.test")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
        .jwtID(UUID.randomUUID().toString());
  }

  /** Signs with this IdP's key {@code kid}, RS256. */
  String sign(String kid, JWTClaimsSet claims) {
    return sign(kid, claims, h -> h);
  }

  String sign(String kid, JWTClaimsSet claims, UnaryOperator<JWSHeader.Builder> header) {
    try {
      return sign(new RSASSASigner(keys.get(kid)),
          header.apply(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT)).build(),
          claims);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops answering: the port is closed. */
  void stop() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    vertx.close();
  }
}
