package io.keepcluster.node.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.PrometheusText;
import io.keepcluster.node.testing.PrometheusText.Histogram;
import io.keepcluster.node.testing.PrometheusText.Sample;
import io.keepcluster.node.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes the real {@code /metrics} of a node after a login, a verified call, a probe and a
 * request for an unknown path, and reads it with a strict parser of the text format.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsExpositionTest {

  @TempDir
  static Path dir;

  private TestNode node;
  private PrometheusText metrics;

  @BeforeAll
  void trafficThenScrape() {
    node = TestNode.in(dir).alice().start();
    String token = node.bearer("alice", "alice-pw");
    assertEquals(200, node.userinfo(token).statusCode());
    assertEquals(401, node.login("alice", "wrong").statusCode());
    assertEquals(401, TestNode.get(node.api("/api/v1/userinfo")).statusCode());
    assertEquals(200, TestNode.get(node.health("/health")).statusCode());
    assertEquals(404, TestNode.get(node.api("/users/1234567/keys/98765")).statusCode());
    // Each request is timed when its response has ended, just after the client has it.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      PrometheusText scraped = PrometheusText.parse(node.scrapeMetrics());
      return !scraped.samples("keepcluster_http_server_requests_seconds_count",
          Map.of("server", "api", "status", "404")).isEmpty()
          && !scraped.samples("keepcluster_http_server_requests_seconds_count",
          Map.of("server", "health", "route", "/health")).isEmpty();
    });
    metrics = PrometheusText.parse(node.scrapeMetrics());
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("login latency is a histogram with buckets, monotonic, whose +Inf bucket equals its count")
  void loginHistogram() {
    Histogram ok = metrics.histogram("keepcluster_login_duration_seconds", Map.of("outcome", "ok"));
    assertWellFormed(ok);
    assertEquals(1.0, ok.count());
    assertTrue(ok.buckets().size() >= 10, "SLO buckets from 5 ms to 5 s: " + ok.buckets());
    Histogram failed = metrics.histogram("keepcluster_login_duration_seconds",
        Map.of("outcome", "wrong_password"));
    assertWellFormed(failed);
    assertEquals(1.0, failed.count());
  }

  @Test
  @DisplayName("token verification latency is a histogram with sub-millisecond buckets")
  void verifyHistogram() {
    Histogram ok = metrics.histogram("keepcluster_token_verify_duration_seconds", Map.of("outcome", "ok"));
    assertWellFormed(ok);
    assertEquals(1.0, ok.count());
    assertTrue(ok.buckets().get(0).getKey() < 0.001, "the first bucket is under 1 ms: " + ok.buckets());
  }

  @Test
  @DisplayName("HTTP requests are tagged by server and route: a health probe is not API traffic")
  void httpByServer() {
    Histogram login = metrics.histogram("keepcluster_http_server_requests_seconds",
        Map.of("server", "api", "route", "/api/v1/auth", "method", "POST", "status", "200"));
    assertWellFormed(login);
    assertEquals(1.0, login.count());
    Histogram probe = metrics.histogram("keepcluster_http_server_requests_seconds",
        Map.of("server", "health", "route", "/health", "method", "GET", "status", "200"));
    assertWellFormed(probe);
    assertTrue(metrics.samples("keepcluster_http_server_requests_seconds_count",
        Map.of("server", "api", "route", "/health")).isEmpty(), "probes never count as api traffic");
    Set<String> servers = Set.of("api", "health", "management", "metrics");
    for (Sample sample : metrics.samples("keepcluster_http_server_requests_seconds_count")) {
      assertTrue(servers.contains(sample.label("server")), sample.toString());
    }
  }

  @Test
  @DisplayName("an unknown path is counted as route=unmatched: no raw path (and no id in it) becomes a label")
  void boundedRoutes() {
    assertEquals(1, metrics.samples("keepcluster_http_server_requests_seconds_count",
        Map.of("server", "api", "route", "unmatched", "status", "404")).size());
    String all = node.scrapeMetrics();
    assertFalse(all.contains("1234567"), "a path segment leaked into a label");
  }

  @Test
  @DisplayName("Vert.x's HTTP server series, which mixed the four ports, are gone")
  void noMixedVertxSeries() {
    assertFalse(metrics.hasPrefix("vertx_http_server_"));
  }

  @Test
  @DisplayName("JVM memory, GC, threads, class loading and process CPU, uptime and file descriptors are exported")
  void jvmAndProcess() {
    for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads",
        "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds",
        "process_start_time_seconds", "process_files_open_files", "system_cpu_count", "jvm_info")) {
      assertFalse(metrics.samples(name).isEmpty(), name + " missing");
    }
    assertTrue(metrics.hasPrefix("jvm_gc_"), "GC series missing");
  }

  @Test
  @DisplayName("keysets by state, logins by outcome and token rejections by reason are exported")
  void productGauges() {
    assertEquals(0.0, metrics.samples("keepcluster_keysets", Map.of("state", "signing")).get(0).value());
    assertEquals(1.0, metrics.samples("keepcluster_logins_total", Map.of("outcome", "ok")).get(0).value());
    assertEquals(1.0, metrics.samples("keepcluster_logins_total", Map.of("outcome", "wrong_password"))
        .get(0).value());
    assertEquals(1.0, metrics.samples("keepcluster_tokens_rejected_total", Map.of("reason", "missing"))
        .get(0).value());
  }

  private static void assertWellFormed(Histogram histogram) {
    assertFalse(histogram.buckets().isEmpty(), "no _bucket series");
    double previous = 0;
    for (Map.Entry<Double, Double> bucket : histogram.buckets()) {
      assertTrue(bucket.getValue() >= previous, "buckets not monotonic: " + histogram.buckets());
      previous = bucket.getValue();
    }
    Map.Entry<Double, Double> last = histogram.buckets().get(histogram.buckets().size() - 1);
    assertEquals(Double.POSITIVE_INFINITY, last.getKey());
    assertEquals(histogram.count(), last.getValue(), "+Inf bucket == _count");
    assertTrue(histogram.sum() >= 0);
  }
}
