package io.keepcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.keys.KeysetTestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("OpenID Connect / RFC 8414 discovery and the JWKS: from publicUrl, cacheable, validating")
class DiscoveryTest {

  private static final String PUBLIC_URL = "https://sso.acme.test/keep";
  private static final String DISCOVERY = "/.well-known/openid-configuration";
  private static final String OAUTH_METADATA = "/.well-known/oauth-authorization-server";
  private static final String JWKS = "/.well-known/jwks.json";
  private static final int LEAD_SECONDS = 30;

  @TempDir Path dir;
  private KeysetTestNode node;

  @BeforeEach
  void startNode() throws Exception {
    KeysetTestNode.prepare(dir);
    node = KeysetTestNode.startOn(dir, Map.of("KEEP_PUBLIC_URL", PUBLIC_URL + "/",
        "KEEP_ROLLOVER_LEAD_SECONDS", Integer.toString(LEAD_SECONDS)));
  }

  @AfterEach
  void stopNode() throws Exception {
    node.close();
  }

  private JsonObject document(String path) throws Exception {
    HttpResponse<String> response = node.get(node.api(path));
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private HttpResponse<String> request(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(node.api(path)).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return node.send(builder.build());
  }

  @Test
  @DisplayName("discovery has every field OpenID Connect Discovery 1.0 requires, each URL under publicUrl (path prefix kept)")
  void requiredFields() throws Exception {
    JsonObject discovery = document(DISCOVERY);

    assertEquals(PUBLIC_URL, discovery.getString("issuer"));
    assertEquals(PUBLIC_URL + "/oauth2/authorize", discovery.getString("authorization_endpoint"));
    assertEquals(PUBLIC_URL + "/api/v1/auth", discovery.getString("token_endpoint"));
    assertEquals(PUBLIC_URL + "/api/v1/userinfo", discovery.getString("userinfo_endpoint"));
    assertEquals(PUBLIC_URL + JWKS, discovery.getString("jwks_uri"));
    assertEquals(new JsonArray().add("id_token"), discovery.getJsonArray("response_types_supported"));
    assertEquals(new JsonArray().add("public"), discovery.getJsonArray("subject_types_supported"));
    assertEquals(new JsonArray().add("password"), discovery.getJsonArray("grant_types_supported"));
    assertEquals(new JsonArray().add("none"), discovery.getJsonArray("token_endpoint_auth_methods_supported"));
    assertTrue(discovery.getJsonArray("scopes_supported").contains("MAIL"), discovery.encode());
    assertTrue(discovery.getJsonArray("claims_supported").contains("iss"), discovery.encode());
  }

  @Test
  @DisplayName("the algorithm list names every algorithm a keyset may ever sign with, RS256 first, before any keyset exists")
  void algorithmsNeverEmpty() throws Exception {
    JsonArray algorithms = document(DISCOVERY).getJsonArray("id_token_signing_alg_values_supported");

    assertEquals("RS256", algorithms.getString(0));
    for (String alg : List.of("PS256", "ES256", "ES384", "ES512")) {
      assertTrue(algorithms.contains(alg), alg + " in " + algorithms);
    }
    assertFalse(algorithms.contains("HS256"), "the ephemeral key cannot be verified by anyone else");
  }

  @Test
  @DisplayName("RFC 8414 /.well-known/oauth-authorization-server serves the same document")
  void oauthMetadata() throws Exception {
    assertEquals(document(DISCOVERY), document(OAUTH_METADATA));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {DISCOVERY, OAUTH_METADATA, JWKS})
  @DisplayName("Host and X-Forwarded-* are never echoed: every URL comes from publicUrl")
  void hostHeaderNeverEchoed(String path) throws Exception {
    String response = raw("GET " + path + " HTTP/1.1\r\nHost: evil.example:1234\r\n"
        + "X-Forwarded-Host: forwarded.example\r\nX-Forwarded-Proto: gopher\r\nX-Forwarded-Port: 666\r\n"
        + "Forwarded: host=forwarded2.example;proto=http\r\nConnection: close\r\n\r\n");

    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    // The request id is random hex: it may contain "666" by chance, and echoes nothing.
    response = response.replaceAll("(?im)^X-Request-Id: .*$", "X-Request-Id: <random>");
    for (String echo : List.of("evil.example", "forwarded.example", "forwarded2.example", "gopher", "666")) {
      assertFalse(response.contains(echo), echo + " echoed in " + response);
    }
    if (!path.equals(JWKS)) {
      JsonObject body = new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
      assertEquals(PUBLIC_URL + JWKS, body.getString("jwks_uri"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {DISCOVERY, OAUTH_METADATA, JWKS})
  @DisplayName("a strong ETag and Cache-Control max-age = rolloverLeadSeconds; If-None-Match answers 304 without a body")
  void etagAndConditionalGet(String path) throws Exception {
    HttpResponse<String> first = request("GET", path);
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertTrue(etag.startsWith("\"") && etag.endsWith("\"") && etag.length() > 20, etag);
    assertEquals("public, max-age=" + LEAD_SECONDS, first.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals(etag, request("GET", path).headers().firstValue("ETag").orElseThrow(), "stable for one body");

    HttpResponse<String> unchanged = request("GET", path, "If-None-Match", "\"other\", " + etag);
    assertEquals(304, unchanged.statusCode());
    assertEquals("", unchanged.body());
    assertEquals(etag, unchanged.headers().firstValue("ETag").orElseThrow());
    assertEquals(304, request("GET", path, "If-None-Match", "W/" + etag).statusCode(), "weak comparison");
    assertEquals(304, request("GET", path, "If-None-Match", "*").statusCode());

    HttpResponse<String> changed = request("GET", path, "If-None-Match", "\"stale\"");
    assertEquals(200, changed.statusCode());
    assertEquals(first.body(), changed.body());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {DISCOVERY, OAUTH_METADATA, JWKS})
  @DisplayName("HEAD answers like GET, without a body")
  void head(String path) throws Exception {
    HttpResponse<String> get = request("GET", path);
    HttpResponse<String> head = request("HEAD", path);

    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    assertEquals(get.headers().firstValue("ETag"), head.headers().firstValue("ETag"));
    assertEquals(get.headers().firstValue("Cache-Control"), head.headers().firstValue("Cache-Control"));
    assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"));
    assertEquals(Long.toString(get.body().getBytes(StandardCharsets.UTF_8).length),
        head.headers().firstValue("Content-Length").orElseThrow());
    assertEquals(304, request("HEAD", path, "If-None-Match",
        get.headers().firstValue("ETag").orElseThrow()).statusCode());
  }

  @Test
  @DisplayName("the JWKS ETag changes when a keyset is published")
  void etagFollowsKeys() throws Exception {
    String before = request("GET", JWKS).headers().firstValue("ETag").orElseThrow();
    node.drop("K");
    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .until(() -> request("GET", JWKS).body().contains("\"K\""));

    HttpResponse<String> after = request("GET", JWKS, "If-None-Match", before);
    assertEquals(200, after.statusCode());
    assertNotEquals(before, after.headers().firstValue("ETag").orElseThrow());
  }

  @Test
  @DisplayName("authorization_endpoint answers a clear 400 JSON: there is no browser flow")
  void authorizationEndpoint() throws Exception {
    HttpResponse<String> response = request("GET", "/oauth2/authorize?response_type=code&client_id=x");

    assertEquals(400, response.statusCode());
    JsonObject body = new JsonObject(response.body());
    assertEquals("unsupported_response_type", body.getString("error"));
    assertNotNull(body.getString("message"));
    assertTrue(body.getString("details").contains(PUBLIC_URL + "/api/v1/auth"), body.encode());
  }

  @Test
  @DisplayName("other methods on a well-known document are still refused")
  void postRefused() throws Exception {
    assertEquals(405, request("POST", DISCOVERY).statusCode());
  }

  /** One raw HTTP/1.1 exchange, so the test controls the Host header. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", node.apiPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
