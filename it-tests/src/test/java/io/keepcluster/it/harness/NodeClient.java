package io.keepcluster.it.harness;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Plain HTTP calls to one node's API, health and management ports ({@link HttpClient}, no Vert.x client). */
public final class NodeClient {

  /** A status and a body; {@link #json()} parses the body when it is JSON. */
  public record Reply(int status, String body) {
    public JsonObject json() {
      try {
        return new JsonObject(body);
      } catch (DecodeException | ClassCastException e) {
        throw new AssertionError("not a JSON object (status " + status + "): " + body, e);
      }
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1)
      .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final String node;
  private final NodeProcess.Ports ports;
  private final String managementPassword;

  NodeClient(String node, NodeProcess.Ports ports, String managementPassword) {
    this.node = node;
    this.ports = ports;
    this.managementPassword = managementPassword;
  }

  public String node() {
    return node;
  }

  public Reply login(String username, String password) {
    JsonObject body = new JsonObject().put("username", username).put("password", password);
    return send(HttpRequest.newBuilder(api("/api/v1/auth"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /** Logs in and answers the bearer token; fails the test on anything but 200. */
  public String token(String username, String password) {
    Reply reply = login(username, password);
    if (reply.status() != 200) {
      throw new AssertionError("login of " + username + " on " + node + " answered " + reply.status() + ": " + reply.body());
    }
    return reply.json().getString("bearer");
  }

  public Reply userinfo(String bearer) {
    return send(HttpRequest.newBuilder(api("/api/v1/userinfo"))
        .header("Authorization", "Bearer " + bearer).GET());
  }

  public Reply logout(String bearer) {
    return send(HttpRequest.newBuilder(api("/api/v1/auth/logout"))
        .header("Authorization", "Bearer " + bearer)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"logout\":\"Yes\"}")));
  }

  /** {@code GET /metrics} on METRICSPORT (Prometheus text). */
  public Reply metrics() {
    return send(HttpRequest.newBuilder(uri(ports.metrics(), "/metrics")).GET());
  }

  /** The value of one Prometheus counter line, e.g. {@code keepcluster_logins_total{outcome="ok"}}; 0 when absent. */
  public double counter(String name, String label) {
    for (String line : metrics().body().split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  /** Calls the management API as {@code account} with {@code password} (HTTP Basic). */
  public Reply management(String account, String password, String method, String path) {
    String basic = Base64.getEncoder().encodeToString((account + ":" + password).getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(uri(ports.management(), path))
        .header("Authorization", "Basic " + basic)
        .method(method, HttpRequest.BodyPublishers.noBody()));
  }

  public Reply jwks() {
    return send(HttpRequest.newBuilder(api("/.well-known/jwks.json")).GET());
  }

  /** {@code GET /health}, parsed whatever its status (503 still carries the document). */
  public Health health() {
    Reply reply = send(HttpRequest.newBuilder(uri(ports.health(), "/health")).GET());
    return new Health(node, reply.status(), reply.json());
  }

  /** {@code GET /health/ready}: 200 when the node takes traffic, 503 when not. */
  public Reply ready() {
    return send(HttpRequest.newBuilder(uri(ports.health(), "/health/ready")).GET());
  }

  public Reply management(String method, String path) {
    String basic = Base64.getEncoder().encodeToString(("admin:" + managementPassword).getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(uri(ports.management(), path))
        .header("Authorization", "Basic " + basic)
        .method(method, HttpRequest.BodyPublishers.noBody()));
  }

  /** {@code POST /api/idp-certificates} on the management port: creates the keyset NAME. */
  public Reply createIdpCertificate(String name, String algorithm) {
    String basic = Base64.getEncoder().encodeToString(("admin:" + managementPassword).getBytes(StandardCharsets.UTF_8));
    JsonObject body = new JsonObject().put("name", name).put("algorithm", algorithm);
    return send(HttpRequest.newBuilder(uri(ports.management(), "/api/idp-certificates"))
        .header("Authorization", "Basic " + basic)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public Reply revoke(String kid) {
    return management("POST", "/api/keysets/" + kid + "/revoke");
  }

  private URI api(String path) {
    return uri(ports.api(), path);
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = HTTP.send(request.timeout(REQUEST_TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(node + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(node + ": interrupted", e);
    }
  }

  /** The {@code iss} in a JWT's payload (decoded, not verified). */
  public static String issOf(String jwt) {
    String payload = jwt.split("\\.")[1];
    return new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
        .getString("iss");
  }

  /** The {@code kid} in a JWT's header (decoded, not verified). */
  public static String kidOf(String jwt) {
    String header = jwt.substring(0, jwt.indexOf('.'));
    return new JsonObject(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8))
        .getString("kid");
  }
}
