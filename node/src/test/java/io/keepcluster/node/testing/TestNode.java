package io.keepcluster.node.testing;

import io.keepcluster.node.KeepClusterNode;
import io.keepcluster.node.config.ConfigException;
import io.keepcluster.node.config.ConfigLoader;
import io.keepcluster.node.config.NodeConfig;
import io.keepcluster.shared.config.ConfigOverlay;
import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.password.PasswordHashingParameters;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real node started in-process on free ports over a temporary config folder, with a real HTTP
 * client pointed at it. Close it (try-with-resources or {@code @AfterEach}) to stop the node.
 */
public final class TestNode implements AutoCloseable {

  /** Cheap hashes for test users; the node verifies with the parameters a hash carries. */
  public static final PasswordHasher HASHER = new PasswordHasher(PasswordHashingParameters.forTests());

  /** The test nodes' {@code publicUrl}, and so the {@code iss} of their tokens. */
  public static final String PUBLIC_URL = "https://keep.test";

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final HttpClient HTTP_1_1 = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private final KeepClusterNode node;
  private final Path dir;

  private TestNode(KeepClusterNode node, Path dir) {
    this.node = node;
    this.dir = dir;
  }

  public static Builder in(Path dir) {
    return new Builder(dir);
  }

  /** Collects what goes into the config folder and the environment before the node starts. */
  public static final class Builder {
    private final Path dir;
    private final Map<String, String> env = new HashMap<>(Map.of(
        "PORT", "0", "HEALTHCHECKPORT", "0", "MANAGMENTPORT", "0", "METRICSPORT", "0",
        "BIND", "127.0.0.1",
        // Tests that drop a keyset expect it to sign at once; lead tests set their own.
        "KEEP_ROLLOVER_LEAD_SECONDS", "0",
        // A configured public URL, so /health lists no fallback problem; "" restores the fallback.
        "KEEP_PUBLIC_URL", PUBLIC_URL));
    private Clock clock = Clock.systemUTC();

    private Builder(Path dir) {
      this.dir = dir;
    }

    public Builder user(String username, String dn, String email, String scopes, String password) {
      writeUser(dir, username, dn, email, scopes, password);
      return this;
    }

    /** Alice, the user most tests log in as: {@code MAIL $DATA}, password {@code alice-pw}. */
    public Builder alice() {
      return user("alice", "CN=Alice/O=Acme", "alice@acme.test", "MAIL $DATA", "alice-pw");
    }

    public Builder overlay(String fileName, JsonObject json) {
      return overlay(fileName, json.encodePrettily());
    }

    public Builder overlay(String fileName, String text) {
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(fileName), text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public TestNode start() {
      try {
        Files.createDirectories(dir);
        NodeConfig config = new ConfigLoader(ConfigOverlay.withBundledDefaults(), env).load(dir);
        KeepClusterNode node = KeepClusterNode.start(new KeepClusterNode.Settings(config, env, clock,
                PasswordHashingParameters.forTests()))
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new TestNode(node, dir);
      } catch (ConfigException | IOException e) {
        throw new IllegalStateException("test node config is invalid: " + e.getMessage(), e);
      } catch (Exception e) {
        throw new IllegalStateException("test node did not start", e);
      }
    }
  }

  public static void writeUser(Path dir, String username, String dn, String email, String scopes,
      String password) {
    new UserDirectoryFile(dir).upsert(
        new UserRecord(username, dn, email, scopes, HASHER.hash(password.toCharArray())));
  }

  public KeepClusterNode node() {
    return node;
  }

  public String nodeId() {
    return node.identity().id();
  }

  public String ephemeralKid() {
    return "ephemeral-" + nodeId();
  }

  public Path dir() {
    return dir;
  }

  public URI api(String path) {
    return uri(node.ports().api(), path);
  }

  public URI health(String path) {
    return uri(node.ports().health(), path);
  }

  public URI management(String path) {
    return uri(node.ports().management(), path);
  }

  public URI metrics(String path) {
    return uri(node.ports().metrics(), path);
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  // ---- HTTP ----

  /** GET with the JDK client's defaults (HTTP/2 over cleartext upgrade when the server offers it). */
  public static HttpResponse<String> get(URI uri, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    return send(HTTP, request, headers);
  }

  /** GET over plain HTTP/1.1, as curl and most proxies send it. */
  public static HttpResponse<String> getHttp11(URI uri, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    return send(HTTP_1_1, request, headers);
  }

  public static HttpResponse<String> post(URI uri, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return send(HTTP, request, headers);
  }

  /** POST with the given {@code Content-Type}, or none at all when it is null. */
  public static HttpResponse<String> postAs(URI uri, String contentType, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(HTTP_1_1, request, headers);
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request,
      String... headers) {
    request.timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> login(String username, String password) {
    return login(new JsonObject().put("username", username).put("password", password));
  }

  public HttpResponse<String> login(JsonObject body) {
    return post(api("/api/v1/auth"), body.encode());
  }

  /** Logs in and answers the bearer token, failing the test when the login is refused. */
  public String bearer(String username, String password) {
    HttpResponse<String> response = login(username, password);
    if (response.statusCode() != 200) {
      throw new AssertionError("login of " + username + " answered " + response.statusCode()
          + ": " + response.body());
    }
    return new JsonObject(response.body()).getString("bearer");
  }

  public HttpResponse<String> userinfo(String token) {
    return get(api("/api/v1/userinfo"), "Authorization", "Bearer " + token);
  }

  public String scrapeMetrics() {
    return get(metrics("/metrics")).body();
  }

  /** The value of {@code keepcluster_tokens_rejected_total} for one reason code (0 when absent). */
  public double rejections(String reason) {
    return counter("keepcluster_tokens_rejected_total", "reason=\"" + reason + "\"");
  }

  public double counter(String name, String label) {
    for (String line : scrapeMetrics().split("\n")) {
      if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(label)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    try {
      node.stop().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("test node did not stop", e);
    }
  }
}
