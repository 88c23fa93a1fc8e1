package io.keepcluster.node.http;

import io.keepcluster.node.config.NodeConfig;
import io.keepcluster.node.config.PublicUrl;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeySource;
import io.keepcluster.node.keys.VerifyingCredential;
import io.keepcluster.node.users.Scopes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.keepcluster.shared.keys.SigningAlgorithms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /.well-known/jwks.json}, {@code /.well-known/openid-configuration} and its RFC 8414 twin
 * {@code /.well-known/oauth-authorization-server}. Only keyset public keys are published: the
 * ephemeral key is a shared secret and never leaves the node.
 *
 * <p>Every URL comes from the configured {@code publicUrl}, never from the request's
 * {@code Host} or {@code X-Forwarded-*} headers (a client could otherwise make the node advertise
 * its own JWKS). Each document carries a strong {@code ETag} (hash of the body) and
 * {@code Cache-Control: public, max-age=rolloverLeadSeconds}: a cache that honours it has seen a
 * new keyset before the keyset signs. {@code If-None-Match} answers 304; {@code HEAD} answers
 * the headers of {@code GET}.
 */
final class WellKnownHandlers {

  /** Where discovery points browsers; KeepCluster has no browser flow (see {@link #authorize}). */
  static final String AUTHORIZE_PATH = "/oauth2/authorize";
  static final String JWKS_PATH = "/.well-known/jwks.json";

  /**
   * One rendered document: the body (encoded once: at 1,000 keysets the JWKS is 1.5 MB) and its
   * entity tag, for the key ring it was built from.
   */
  private record Rendered(KeyRingSnapshot source, byte[] body, String etag) {

    Rendered(KeyRingSnapshot source, String text) {
      this(source, text.getBytes(StandardCharsets.UTF_8), strongEtag(text));
    }
  }

  private final KeyRing keyRing;
  private final PublicUrl publicUrl;
  private final String issuer;
  private final String cacheControl;
  private volatile Rendered jwks;
  private volatile Rendered discovery;
  /** The JSON of each published key in the last JWKS, by credential identity. */
  private volatile Map<VerifyingCredential, String> encodedKeys = Map.of();

  WellKnownHandlers(KeyRing keyRing, NodeConfig config) {
    this.keyRing = keyRing;
    this.publicUrl = config.publicUrl();
    this.issuer = config.tokens().issuer();
    this.cacheControl = "public, max-age=" + config.rolloverLead().toSeconds();
  }

  void jwks(RoutingContext ctx) {
    Rendered rendered = jwks;
    KeyRingSnapshot ring = keyRing.current();
    if (rendered == null || rendered.source() != ring) {
      rendered = renderJwks(ring);
      jwks = rendered;
    }
    send(ctx, rendered);
  }

  /**
   * The JWKS of {@code ring}, built once per key-ring change. Each key's JSON is kept by its
   * credential (the registry keeps a keyset's credential object until that keyset changes), so a
   * change to one keyset encodes one key, not all of them.
   */
  private Rendered renderJwks(KeyRingSnapshot ring) {
    Map<VerifyingCredential, String> previous = encodedKeys;
    Map<VerifyingCredential, String> encoded = new IdentityHashMap<>();
    StringBuilder body = new StringBuilder("{\"keys\":[");
    for (VerifyingCredential credential : ring.verifiers()) {
      if (credential.source() != KeySource.KEYSET || credential.publicJwk().isEmpty()) {
        continue;
      }
      String key = previous.get(credential);
      if (key == null) {
        key = new JsonObject(credential.publicJwk().get().toPublicJWK().toJSONObject()).encode();
      }
      if (!encoded.isEmpty()) {
        body.append(',');
      }
      encoded.put(credential, key);
      body.append(key);
    }
    String text = body.append("]}").toString();
    encodedKeys = encoded;
    return new Rendered(ring, text);
  }

  void discovery(RoutingContext ctx) {
    Rendered rendered = discovery;
    KeyRingSnapshot ring = keyRing.current();
    if (rendered == null || rendered.source() != ring) {
      rendered = render(ring, this::discoveryDocument);
      discovery = rendered;
    }
    send(ctx, rendered);
  }

  /**
   * The {@code authorization_endpoint} OpenID Connect Discovery requires. KeepCluster issues tokens
   * only through {@code POST /api/v1/auth}; there is no browser login to redirect to, so every
   * request here gets a clear 400 ({@code unsupported_response_type}, RFC 6749 section 4.1.2.1)
   * instead of a page that does not exist.
   */
  void authorize(RoutingContext ctx) {
    JsonObject body = new JsonObject().put("status", 400)
        .put("error", "unsupported_response_type")
        .put("message", "KeepCluster has no browser authorization flow")
        .put("details", "obtain a token with POST " + publicUrl.resolve("/api/v1/auth")
            + " {\"username\",\"password\"} and send it as Authorization: Bearer");
    ErrorResponses.sendJson(ctx, 400, body);
  }

  /**
   * OpenID Connect Discovery 1.0 / RFC 8414 metadata. {@code response_types_supported} is
   * {@code id_token}: the one kind of token this cluster hands out is a signed JWT with the ID
   * token claims (iss, sub, aud, exp, iat), and it offers no code exchange, so {@code code} would
   * invite clients into a flow that does not exist.
   */
  private JsonObject discoveryDocument(KeyRingSnapshot ring) {
    return new JsonObject()
        .put("issuer", issuer)
        .put("authorization_endpoint", publicUrl.resolve(AUTHORIZE_PATH))
        .put("token_endpoint", publicUrl.resolve("/api/v1/auth"))
        .put("userinfo_endpoint", publicUrl.resolve("/api/v1/userinfo"))
        .put("jwks_uri", publicUrl.resolve(JWKS_PATH))
        .put("response_types_supported", new JsonArray().add("id_token"))
        .put("subject_types_supported", new JsonArray().add("public"))
        .put("id_token_signing_alg_values_supported", signingAlgorithms())
        .put("grant_types_supported", new JsonArray().add("password"))
        .put("token_endpoint_auth_methods_supported", new JsonArray().add("none"))
        .put("scopes_supported", new JsonArray(Scopes.parse(Scopes.DEFAULT).stream().sorted().toList()))
        .put("claims_supported", new JsonArray()
            .add("iss").add("sub").add("aud").add("exp").add("iat").add("jti")
            .add("CN").add("scope").add("email"));
  }

  /**
   * Every algorithm the cluster can ever sign with, RS256 first: a keyset of any of them may be
   * dropped on any node tomorrow, and resource servers that copy this list once at start (Nimbus'
   * key selector, for one) would otherwise refuse the first token of a new algorithm. The ephemeral
   * key's HS256 is left out: no resource server can verify it.
   */
  private static JsonArray signingAlgorithms() {
    return new JsonArray(SigningAlgorithms.ALL);
  }

  private static Rendered render(KeyRingSnapshot ring, Function<KeyRingSnapshot, JsonObject> document) {
    return new Rendered(ring, document.apply(ring).encode());
  }

  private void send(RoutingContext ctx, Rendered rendered) {
    var response = ctx.response()
        .putHeader("ETag", rendered.etag())
        .putHeader("Cache-Control", cacheControl);
    if (notModified(ctx.request().getHeader("If-None-Match"), rendered.etag())) {
      response.setStatusCode(304).end();
      return;
    }
    byte[] body = rendered.body();
    response.setStatusCode(200).putHeader("Content-Type", "application/json");
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.putHeader("Content-Length", Integer.toString(body.length)).end();
    } else {
      response.end(Buffer.buffer(body));
    }
  }

  /** RFC 9110 section 13.1.2: {@code *} or any listed tag (weak comparison) means unchanged. */
  static boolean notModified(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*")) {
        return true;
      }
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private static String strongEtag(String body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
      return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
