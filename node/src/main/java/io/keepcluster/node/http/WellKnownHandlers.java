package io.keepcluster.node.http;

import com.nimbusds.jose.jwk.JWK;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeySource;
import io.keepcluster.node.keys.VerifyingCredential;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code /.well-known/jwks.json} and {@code /.well-known/openid-configuration}. Only keyset public
 * keys are published: the ephemeral key is a shared secret and never leaves the node.
 */
final class WellKnownHandlers {

  private final KeyRing keyRing;

  WellKnownHandlers(KeyRing keyRing) {
    this.keyRing = keyRing;
  }

  void jwks(RoutingContext ctx) {
    JsonArray keys = new JsonArray();
    for (VerifyingCredential credential : keyRing.current().verifiers()) {
      if (credential.source() == KeySource.KEYSET) {
        credential.publicJwk().map(JWK::toPublicJWK).map(JWK::toJSONObject)
            .map(JsonObject::new).ifPresent(keys::add);
      }
    }
    ctx.response().setStatusCode(200)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=60")
        .end(new JsonObject().put("keys", keys).encode());
  }

  void openIdConfiguration(RoutingContext ctx) {
    KeyRingSnapshot ring = keyRing.current();
    String base = baseUrl(ctx);
    JsonArray algorithms = new JsonArray();
    ring.verifiers().stream()
        .filter(v -> v.source() == KeySource.KEYSET)
        .map(v -> v.algorithm().getName()).distinct().forEach(algorithms::add);
    JsonObject body = new JsonObject()
        .put("issuer", ring.signer().issuer())
        .put("jwks_uri", base + "/.well-known/jwks.json")
        .put("userinfo_endpoint", base + "/api/v1/userinfo")
        .put("token_endpoint", base + "/api/v1/auth")
        .put("id_token_signing_alg_values_supported", algorithms)
        .put("token_endpoint_auth_methods_supported", new JsonArray().add("none"))
        .put("response_types_supported", new JsonArray().add("token"))
        .put("subject_types_supported", new JsonArray().add("public"))
        .put("claims_supported", new JsonArray()
            .add("iss").add("sub").add("aud").add("exp").add("iat").add("jti")
            .add("CN").add("scope").add("email"));
    ErrorResponses.sendJson(ctx, 200, body);
  }

  private static String baseUrl(RoutingContext ctx) {
    String host = Optional.ofNullable(ctx.request().authority())
        .map(Object::toString).orElse("localhost");
    return ctx.request().scheme() + "://" + host;
  }
}
