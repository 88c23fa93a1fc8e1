package io.keepcluster.node.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.keys.KeysetTestNode;
import io.keepcluster.node.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("TLS on the API and management ports, with certificates made by openssl")
class TlsTest {

  private static Vertx vertx;

  @TempDir
  Path tmp;

  private TestCertificates certs;
  private Path tlsDir;
  private TestNode node;

  /** What one HTTPS exchange showed: the answer and the certificate the server presented. */
  record Reply(int status, String body, BigInteger serial, String subject) {}

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void certificates() throws Exception {
    Assumptions.assumeTrue(KeysetTestNode.opensslAvailable(), "needs /usr/bin/openssl");
    certs = TestCertificates.authority(tmp.resolve("ca"));
    tlsDir = tmp.resolve("keepconfig.d").resolve("tls");
    Files.createDirectories(tlsDir);
    Path[] first = certs.server("first", "1001");
    TestCertificates.replace(first[0], tlsDir.resolve("server.crt"));
    TestCertificates.replace(first[1], tlsDir.resolve("server.key"));
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  /** The node of most tests: TLS files named relative to the config folder, as README shows. */
  private TestNode startWithTls() {
    node = TestNode.in(tmp.resolve("keepconfig.d")).alice()
        .overlay("tls.json", new JsonObject().put("TLS",
            new JsonObject().put("certFile", "tls/server.crt").put("keyFile", "tls/server.key")))
        .start();
    return node;
  }

  private Reply https(int port, HttpMethod method, String path, String body, String... headers) throws Exception {
    // A client per call and no keep-alive: every call is a new connection and a new handshake.
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
        .setKeepAlive(false).setTrustOptions(new PemTrustOptions().addCertPath(certs.caCert().toString())));
    try {
      RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
          .setURI(path);
      for (int i = 0; i + 1 < headers.length; i += 2) {
        options.putHeader(headers[i], headers[i + 1]);
      }
      Future<Reply> reply = client.request(options)
          .compose(request -> (body == null ? request.send() : request.send(body))
              .compose(response -> response.body().map(buffer -> {
                try {
                  X509Certificate peer = (X509Certificate) response.request().connection().peerCertificates().get(0);
                  return new Reply(response.statusCode(), buffer.toString(), peer.getSerialNumber(),
                      peer.getSubjectX500Principal().getName());
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              })));
      return reply.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  private BigInteger servedSerial() throws Exception {
    return https(node.node().ports().api(), HttpMethod.GET, "/.well-known/jwks.json", null).serial();
  }

  private JsonArray problems() {
    return new JsonObject(TestNode.get(node.health("/health")).body()).getJsonArray("problems");
  }

  private static boolean hasTlsProblem(JsonArray problems) {
    return problems.stream().map(JsonObject.class::cast).anyMatch(p -> "tls".equals(p.getString("file")));
  }

  @Test
  @DisplayName("a client trusting the test CA logs in and reads userinfo over HTTPS; the management port speaks HTTPS too")
  void loginAndUserinfoOverHttps() throws Exception {
    startWithTls();
    int api = node.node().ports().api();
    Reply login = https(api, HttpMethod.POST, "/api/v1/auth",
        new JsonObject().put("username", "alice").put("password", "alice-pw").encode(),
        "Content-Type", "application/json");
    assertEquals(200, login.status(), login.body());
    assertEquals(new BigInteger("1001", 16), login.serial());
    String bearer = new JsonObject(login.body()).getString("bearer");
    Reply userinfo = https(api, HttpMethod.GET, "/api/v1/userinfo", null, "Authorization", "Bearer " + bearer);
    assertEquals(200, userinfo.status(), userinfo.body());
    assertEquals("CN=Alice/O=Acme", new JsonObject(userinfo.body()).getString("sub"));

    Reply management = https(node.node().ports().management(), HttpMethod.GET, "/api/users", null);
    assertEquals(401, management.status(), "the management port answers over TLS (and wants credentials)");
    assertEquals(new BigInteger("1001", 16), management.serial());
    assertTrue(node.node().listening().contains("api=https://127.0.0.1:" + api), node.node().listening());
    assertTrue(node.node().listening().contains("health=http://"), "health stays plain HTTP for probes");
  }

  @Test
  @DisplayName("health and metrics stay plain HTTP when TLS is on")
  void healthAndMetricsStayPlain() {
    startWithTls();
    assertEquals(200, TestNode.get(node.health("/health/ready")).statusCode());
    assertEquals(200, TestNode.get(node.metrics("/metrics")).statusCode());
  }

  @Test
  @DisplayName("plain HTTP to the TLS API port is refused: the handshake fails and no request is served")
  void plainHttpToTlsPortFails() {
    startWithTls();
    HttpClient plain = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    try {
      ExecutionException failure = assertThrows(ExecutionException.class, () -> plain
          .request(HttpMethod.GET, node.node().ports().api(), "127.0.0.1", "/.well-known/jwks.json")
          .compose(request -> request.send().compose(response -> response.body()))
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
      System.out.println("plain HTTP to the TLS port: " + failure.getCause());
    } finally {
      plain.close();
    }
  }

  @Test
  @DisplayName("replacing the certificate files gives new connections the new certificate, with no restart")
  void rotationWithoutRestart() throws Exception {
    startWithTls();
    assertEquals(new BigInteger("1001", 16), servedSerial());
    Path[] second = certs.server("second", "1002");
    TestCertificates.replace(second[1], tlsDir.resolve("server.key"));
    TestCertificates.replace(second[0], tlsDir.resolve("server.crt"));

    await("new connections see serial 1002").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> servedSerial().equals(new BigInteger("1002", 16)));
    Reply login = https(node.node().ports().api(), HttpMethod.POST, "/api/v1/auth",
        new JsonObject().put("username", "alice").put("password", "alice-pw").encode(),
        "Content-Type", "application/json");
    assertEquals(200, login.status(), login.body());
    assertEquals("CN=second", login.subject());
    Reply management = https(node.node().ports().management(), HttpMethod.GET, "/api/users", null);
    assertEquals(new BigInteger("1002", 16), management.serial(), "the management port rotates too");
    assertTrue(!hasTlsProblem(problems()), problems().encode());
  }

  @Test
  @DisplayName("a replacement key that is not the certificate's keeps the old certificate and reports a tls problem until fixed")
  void badReplacementKeepsOldCertificate() throws Exception {
    startWithTls();
    Path[] second = certs.server("second", "1002");
    // Only the key changes: the served certificate's key is gone, the pair on disk does not match.
    TestCertificates.replace(second[1], tlsDir.resolve("server.key"));

    await("a tls problem on /health").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> hasTlsProblem(problems()));
    String problem = problems().encode();
    assertTrue(problem.contains("server.key") && problem.contains("still serving"), problem);
    assertEquals(new BigInteger("1001", 16), servedSerial(), "new connections still get the old certificate");
    assertEquals(200, TestNode.get(node.health("/health")).statusCode(), "a rotation problem does not take the node out");

    TestCertificates.replace(second[0], tlsDir.resolve("server.crt"));
    await("the fixed pair is served and the problem cleared").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> servedSerial().equals(new BigInteger("1002", 16)) && !hasTlsProblem(problems()));
  }

  @Test
  @DisplayName("a node whose TLS key is not its certificate's refuses to start, naming both files")
  void mismatchedPairRefusesToStart() {
    Path[] second = certs.server("second", "1002");
    TestCertificates.replace(second[1], tlsDir.resolve("server.key"));
    IllegalStateException failure = assertThrows(IllegalStateException.class, () -> TestNode
        .in(tmp.resolve("keepconfig.d")).alice()
        .env("KEEP_TLS_CERT_FILE", tlsDir.resolve("server.crt").toString())
        .env("KEEP_TLS_KEY_FILE", "tls/server.key")
        .start());
    String message = rootMessage(failure);
    assertTrue(message.contains("server.key") && message.contains("server.crt")
        && message.contains("is not the key of the first certificate"), message);
  }

  @Test
  @DisplayName("a missing TLS certificate file refuses the start with the path in the message")
  void missingCertificateRefusesToStart() {
    IllegalStateException failure = assertThrows(IllegalStateException.class, () -> TestNode
        .in(tmp.resolve("keepconfig.d")).alice()
        .env("KEEP_TLS_CERT_FILE", "tls/nope.crt").env("KEEP_TLS_KEY_FILE", "tls/server.key")
        .start());
    String message = rootMessage(failure);
    assertTrue(message.contains("nope.crt"), message);
  }

  private static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
