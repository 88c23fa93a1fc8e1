package io.keepcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every answer carries the request's id in {@code X-Request-Id}. */
class RequestIdHeaderTest {

  @TempDir
  Path dir;

  private TestNode node;

  @BeforeEach
  void start() {
    node = TestNode.in(dir).alice().start();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("a sane X-Request-Id sent by the caller comes back on the response")
  void echoed() {
    HttpResponse<String> response = TestNode.post(node.api("/api/v1/auth"),
        "{\"username\":\"alice\",\"password\":\"wrong\"}", "Content-Type", "application/json",
        "X-Request-Id", "lb-7f3a:42");

    assertEquals(401, response.statusCode());
    assertEquals("lb-7f3a:42", response.headers().firstValue("X-Request-Id").orElse(""));
  }

  @Test
  @DisplayName("a request without an id, or with an unsafe one, gets a generated id back, on every port")
  void generated() {
    HttpResponse<String> unsafe = TestNode.get(node.api("/.well-known/jwks.json"), "X-Request-Id", "a\"b");
    HttpResponse<String> none = TestNode.get(node.health("/health"));
    HttpResponse<String> notFound = TestNode.get(node.management("/nope"));

    for (HttpResponse<String> response : java.util.List.of(unsafe, none, notFound)) {
      String id = response.headers().firstValue("X-Request-Id").orElse("");
      assertTrue(id.matches("[0-9a-f]{16}"), response.uri() + " answered id '" + id + "'");
    }
  }
}
