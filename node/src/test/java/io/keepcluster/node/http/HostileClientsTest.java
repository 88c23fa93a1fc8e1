package io.keepcluster.node.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.password.PasswordHashingParameters;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 8: slow, idle, greedy and sloppy clients against a real node with small limits. */
class HostileClientsTest {

  @TempDir
  Path dir;

  private TestNode node;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private TestNode start(JsonObject overlay) {
    node = TestNode.in(dir).alice().overlay("limits.json", overlay).start();
    return node;
  }

  private static JsonObject http(int idleSeconds, int headerSeconds, int maxConnections) {
    return new JsonObject().put("http", new JsonObject().put("idleTimeoutSeconds", idleSeconds)
        .put("requestHeaderTimeoutSeconds", headerSeconds).put("maxConnections", maxConnections));
  }

  private Socket connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    sockets.add(socket);
    return socket;
  }

  /** Reads until the server closes the socket; answers how long that took. */
  private static Duration awaitClosed(Socket socket, Duration atMost) throws IOException {
    long start = System.nanoTime();
    socket.setSoTimeout(Math.toIntExact(atMost.toMillis()));
    InputStream in = socket.getInputStream();
    try {
      while (in.read() != -1) {
        // An error response before the close is fine; the close is what counts.
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the node kept the socket open for " + atMost);
    } catch (IOException reset) {
      // A reset is a close too.
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @ParameterizedTest(name = "{0} with Content-Type [{1}] answers 415")
  @CsvSource(nullValues = "NONE", value = {
      "/api/v1/auth, text/plain", "/api/v1/auth, NONE", "/api/v1/auth, application/x-www-form-urlencoded",
      "/api/v1/auth/logout, text/plain", "/api/v1/auth/logout, NONE",
      "/api/idp-certificates, text/plain", "/api/idp-certificates, NONE"})
  @DisplayName("a JSON endpoint refuses any Content-Type but application/json with a JSON 415")
  void wrongContentType(String path, String contentType) {
    start(new JsonObject());
    String token = node.bearer("alice", "alice-pw");
    URI uri = path.startsWith("/api/v1/") ? node.api(path) : node.management(path);

    HttpResponse<String> response = TestNode.postAs(uri, contentType, "{\"logout\":\"Yes\"}",
        "Authorization", "Bearer " + token);

    assertEquals(415, response.statusCode(), response.body());
    JsonObject body = new JsonObject(response.body());
    assertEquals(415, body.getInteger("status"));
    assertEquals(JsonContentType.MESSAGE, body.getString("message"));
  }

  @Test
  @DisplayName("application/json with a charset parameter is accepted")
  void charsetParameterAccepted() {
    start(new JsonObject());
    String body = new JsonObject().put("username", "alice").put("password", "alice-pw").encode();

    HttpResponse<String> response = TestNode.postAs(node.api("/api/v1/auth"),
        "Application/JSON; charset=utf-8", body);

    assertEquals(200, response.statusCode(), response.body());
  }

  @Test
  @DisplayName("a socket that sends nothing is closed by the idle timeout")
  void idleSocketClosed() throws IOException {
    start(http(1, 60, 100));
    Socket silent = connect(node.node().ports().api());

    Duration closedAfter = awaitClosed(silent, Duration.ofSeconds(6));

    assertTrue(closedAfter.compareTo(Duration.ofMillis(700)) > 0, "closed too early: " + closedAfter);
  }

  @Test
  @DisplayName("a slowloris socket (one header byte at a time) is closed at the request-head deadline")
  void slowlorisClosed() throws Exception {
    start(http(60, 1, 100));
    Socket slow = connect(node.node().ports().api());
    byte[] head = ("GET /api/v1/userinfo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "a".repeat(2000))
        .getBytes(StandardCharsets.US_ASCII);
    slow.setSoTimeout(100);
    OutputStream out = slow.getOutputStream();
    long start = System.nanoTime();
    boolean closed = false;
    for (int i = 0; i < head.length && !closed; i++) {
      try {
        out.write(head[i]);
        out.flush();
        closed = slow.getInputStream().read() == -1;
      } catch (SocketTimeoutException stillOpen) {
        // The node is still reading: send the next byte.
      } catch (IOException reset) {
        closed = true;
      }
      assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(6)) < 0,
          "slowloris socket still open after 6 s");
    }

    assertTrue(closed, "the whole head trickled in without the node closing the socket");
    assertTrue(node.counter("keepcluster_http_connections_closed_total", "reason=\"request_timeout\"") >= 1);
  }

  @Test
  @DisplayName("a request whose body trickles in is closed at the deadline too")
  void slowBodyClosed() throws Exception {
    start(http(60, 1, 100));
    Socket slow = connect(node.node().ports().api());
    slow.getOutputStream().write(("POST /api/v1/auth HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));

    Duration closedAfter = awaitClosed(slow, Duration.ofSeconds(6));

    assertTrue(closedAfter.compareTo(Duration.ofMillis(500)) > 0, "closed too early: " + closedAfter);
  }

  @Test
  @DisplayName("a keep-alive connection serves requests, then must start the next one within the deadline")
  void keepAliveAfterResponse() throws Exception {
    start(http(60, 1, 100));
    Socket socket = connect(node.node().ports().api());
    socket.getOutputStream().write("GET /.well-known/jwks.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    socket.setSoTimeout(5000);
    byte[] status = socket.getInputStream().readNBytes(12);
    assertEquals("HTTP/1.1 200", new String(status, StandardCharsets.US_ASCII));

    awaitClosed(socket, Duration.ofSeconds(6));
  }

  @Test
  @DisplayName("the connection over the cap is closed at once and counted; the node serves again when slots free up")
  void connectionCap() throws Exception {
    start(http(60, 60, 3));
    int api = node.node().ports().api();
    for (int i = 0; i < 3; i++) {
      connect(api);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      // The node accepts before it counts: the fourth is refused once the first three are counted.
      Socket extra = connect(api);
      return awaitClosed(extra, Duration.ofSeconds(5)).compareTo(Duration.ofSeconds(1)) < 0;
    });

    for (Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
        .until(() -> node.counter("keepcluster_http_connections_closed_total", "reason=\"over_limit\"") >= 1);
    assertEquals(200, TestNode.getHttp11(node.api("/.well-known/jwks.json")).statusCode());
  }

  @Test
  @DisplayName("a saturated hashing queue answers 503 with Retry-After at once, without hashing")
  void saturatedHashing() throws Exception {
    // One hashing thread, one waiting slot, and a user whose stored hash takes about a second.
    PasswordHasher slow = new PasswordHasher(new PasswordHashingParameters(65_536, 10, 1));
    new UserDirectoryFile(dir).upsert(new UserRecord("slow", "CN=Slow/O=Acme", "slow@acme.test",
        "MAIL", slow.hash("slow-pw".toCharArray())));
    start(new JsonObject().put("login", new JsonObject().put("hashingThreads", 1).put("maxQueued", 1)));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body = new JsonObject().put("username", "slow").put("password", "slow-pw").encode();
    HttpRequest login = HttpRequest.newBuilder(node.api("/api/v1/auth"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();

    CompletableFuture<HttpResponse<String>> running = client.sendAsync(login, HttpResponse.BodyHandlers.ofString());
    CompletableFuture<HttpResponse<String>> waiting = client.sendAsync(login, HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(10)).until(() ->
        node.counter("keepcluster_hashing_active", "") == 1 && node.counter("keepcluster_hashing_queued", "") == 1);

    long start = System.nanoTime();
    HttpResponse<String> refused = client.send(login, HttpResponse.BodyHandlers.ofString());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(503, refused.statusCode(), refused.body());
    assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
    assertEquals(new JsonObject().put("status", 503).put("message", "Too many logins in progress, retry shortly"),
        new JsonObject(refused.body()));
    assertFalse(waiting.isDone(), "the 503 came only after the queue drained (" + took + ")");
    assertTrue(took.compareTo(Duration.ofMillis(500)) < 0, "503 took " + took);
    assertEquals(200, running.get().statusCode());
    assertEquals(200, waiting.get().statusCode());
    assertEquals(1, node.counter("keepcluster_hashing_rejected_total", "caller=\"login\""));
  }
}
