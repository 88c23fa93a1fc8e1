package io.keepcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("where each port listens, and what a port already in use says")
class ListenAddressTest {

  @TempDir
  Path dir;

  private TestNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  @DisplayName("management and metrics listen on MANAGEMENT_BIND and METRICS_BIND, and only there; BIND keeps API and health")
  void ownAddresses() {
    // 127.0.0.0/8 is all loopback on Linux: three addresses that are not one another.
    node = TestNode.in(dir).alice().env("MANAGEMENT_BIND", "127.0.0.2").env("METRICS_BIND", "127.0.0.3").start();
    int management = node.node().ports().management();
    int metrics = node.node().ports().metrics();

    assertEquals(401, TestNode.get(URI.create("http://127.0.0.2:" + management + "/api/users")).statusCode());
    UncheckedIOException refused = assertThrows(UncheckedIOException.class,
        () -> TestNode.get(URI.create("http://127.0.0.1:" + management + "/api/users")));
    assertInstanceOf(ConnectException.class, refused.getCause());
    assertEquals(200, TestNode.get(URI.create("http://127.0.0.3:" + metrics + "/metrics")).statusCode());
    assertEquals(200, TestNode.get(node.health("/health/ready")).statusCode());

    String listening = node.node().listening();
    assertTrue(listening.contains("api=http://127.0.0.1:" + node.node().ports().api())
        && listening.contains("health=http://127.0.0.1:")
        && listening.contains("management=http://127.0.0.2:" + management)
        && listening.contains("metrics=http://127.0.0.3:" + metrics), listening);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"PORT, api", "HEALTHCHECKPORT, health", "MANAGMENTPORT, management", "METRICSPORT, metrics"})
  @DisplayName("a port held by another socket stops the start with one line naming the port, its setting and the address")
  void portInUse(String key, String name) throws Exception {
    try (ServerSocket occupant = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = occupant.getLocalPort();
      IllegalStateException failure = assertThrows(IllegalStateException.class,
          () -> TestNode.in(dir).alice().env(key, Integer.toString(port)).start());
      Throwable cause = failure;
      while (!(cause instanceof ListenException) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      assertInstanceOf(ListenException.class, cause, failure.toString());
      assertEquals("cannot listen on " + name + " port 127.0.0.1:" + port + " (" + key + "): address already in use",
          cause.getMessage());
    }
  }
}
