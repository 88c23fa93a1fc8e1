package io.keepcluster.node.shutdown;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the graceful stop of an in-process node")
class GracefulStopTest {

  @TempDir
  Path dir;

  private TestNode node;

  @BeforeEach
  void start() {
    // A drain far longer than any test: each test ends it early by asking a second time.
    node = TestNode.in(dir).alice().env("KEEP_SHUTDOWN_DRAIN_SECONDS", "600").start();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("while draining, /health/ready says 503 but logins get 200 and every response closes its connection")
  void drainKeepsServing() {
    CompletableFuture<Boolean> stopped = node.node().shutdown();
    await().atMost(Duration.ofSeconds(20)).until(() -> TestNode.get(node.health("/health/ready")).statusCode() == 503);

    HttpResponse<String> login = node.login("alice", "alice-pw");
    assertEquals(200, login.statusCode(), login.body());
    HttpResponse<String> jwks = TestNode.getHttp11(node.api("/.well-known/jwks.json"));
    assertEquals(200, jwks.statusCode());
    assertEquals("close", jwks.headers().firstValue("connection").orElse(""),
        "a draining node tells HTTP/1.1 clients not to reuse the connection");
    assertFalse(stopped.isDone(), "the drain holds the listeners open");
    node.node().shutdown();
  }

  @Test
  @DisplayName("asked a second time, the stop cuts its drain short, finishes cleanly and closes the ports")
  void secondRequestCutsTheDrain() {
    CompletableFuture<Boolean> stopped = node.node().shutdown();
    await().atMost(Duration.ofSeconds(20)).until(() -> TestNode.get(node.health("/health/ready")).statusCode() == 503);
    node.node().shutdown();

    await().atMost(Duration.ofSeconds(60)).until(stopped::isDone);
    assertTrue(stopped.join(), "clean stop");
    UncheckedIOException refused = assertThrows(UncheckedIOException.class,
        () -> TestNode.get(node.api("/.well-known/jwks.json")));
    assertInstanceOf(ConnectException.class, refused.getCause());
  }
}
