package io.keepcluster.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus {@code /metrics} on METRICSPORT. */
class MetricsPortTest {

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
  @DisplayName("/metrics answers 200 in Prometheus text format")
  void prometheusText() {
    HttpResponse<String> response = TestNode.get(node.metrics("/metrics"));

    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
  }

  @Test
  @DisplayName("a successful login is counted as keepcluster_logins_total{outcome=ok}")
  void loginCounted() {
    node.bearer("alice", "alice-pw");

    assertEquals(1.0, node.counter("keepcluster_logins_total", "outcome=\"ok\""),
        node.scrapeMetrics());
  }

  @Test
  @DisplayName("a failed login is counted by its reason for the operator (wrong_password, unknown_user), never told to the client")
  void failedLoginCounted() {
    HttpResponse<String> wrong = node.login("alice", "wrong");
    HttpResponse<String> unknown = node.login("nobody", "wrong");

    assertEquals(wrong.body(), unknown.body(), "the client sees one answer");
    assertEquals(1.0, node.counter("keepcluster_logins_total", "outcome=\"wrong_password\""));
    assertEquals(1.0, node.counter("keepcluster_logins_total", "outcome=\"unknown_user\""));
  }

  @Test
  @DisplayName("a request without token is counted as keepcluster_tokens_rejected_total{reason=missing}")
  void missingTokenCounted() {
    TestNode.get(node.api("/api/v1/userinfo"));

    assertEquals(1.0, node.rejections("missing"));
  }

  @Test
  @DisplayName("metrics never contain a token, a password or a hash")
  void noSecrets() {
    String token = node.bearer("alice", "alice-pw");
    node.login("alice", "a-wrong-password");

    String body = node.scrapeMetrics();

    assertFalse(body.contains(token.substring(0, 20)));
    assertFalse(body.contains("a-wrong-password"));
    assertFalse(body.toLowerCase(Locale.ROOT).contains("argon2"));
  }

  @Test
  @DisplayName("gauges report the cluster size and the keysets by state, and follow a new keyset")
  void gauges() throws Exception {
    assertEquals(1.0, node.counter("keepcluster_cluster_members", ""), node.scrapeMetrics());
    assertEquals(0.0, node.counter("keepcluster_keysets", "state=\"signing\""));

    new io.keepcluster.shared.keys.KeysetGenerator()
        .generate(io.keepcluster.shared.keys.KeysetName.of("G"),
            io.keepcluster.shared.keys.KeyAlgorithmSpec.ec("P-256"), java.time.Clock.systemUTC())
        .writeTo(dir);

    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .until(() -> node.counter("keepcluster_keysets", "state=\"signing\"") == 1.0);
  }
}
