package io.keepcluster.it.harness;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Keycloak ({@code keycloak-quarkus-dist}, unpacked by the it-tests pom into
 * {@code target/keycloak}) in dev mode on a free 127.0.0.1 port, run by a JDK 21+ found on the
 * machine, with admin REST helpers for what {@code KeycloakIT} needs: a realm, a client, a user, a
 * password grant and a new signing key. Its output goes to {@code target/it-logs/<test>/keycloak.log}.
 * {@link #close()} kills the process tree; a JVM shutdown hook ({@link LiveProcesses}) covers a
 * run that never reaches it.
 */
public final class KeycloakServer implements AutoCloseable {

  /** Keycloak 26 runs on Java 21 or newer. */
  public static final int MIN_JAVA = 21;
  public static final Duration START_TIMEOUT = Duration.ofSeconds(
      Long.getLong("keepcluster.keycloak.startTimeout", 180));
  private static final String ADMIN = "it-kc-admin";
  private static final String ADMIN_PASSWORD = "it-kc-Admin-Passw0rd";
  private static final Path JVM_DIR = Path.of("/usr/lib/jvm");
  private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"([^\"]+)\"\\s*$");
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1)
      .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** A JDK able to run Keycloak, and its major version. */
  public record Jdk(Path home, int major) {}

  private final Process process;
  private final String baseUrl;
  private final Path log;
  private final Duration startTime;

  private KeycloakServer(Process process, String baseUrl, Path log, Duration startTime) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.log = log;
    this.startTime = startTime;
  }

  /** The unpacked distribution ({@code -Dkeepcluster.keycloak.home}, set by the pom), if it is there. */
  public static Optional<Path> distribution() {
    String home = System.getProperty("keepcluster.keycloak.home");
    if (home == null) {
      return Optional.empty();
    }
    Path path = Path.of(home).toAbsolutePath().normalize();
    return Files.isRegularFile(path.resolve("bin/kc.sh")) ? Optional.of(path) : Optional.empty();
  }

  /**
   * The JDK for Keycloak: {@code KEYCLOAK_JAVA_HOME} when set (it must be 21+), else the newest
   * JDK 21+ under {@code /usr/lib/jvm} (by its {@code release} file), else the test JVM's own if it
   * is 21+. Empty when the machine has none.
   */
  public static Optional<Jdk> findJdk() {
    String explicit = System.getenv("KEYCLOAK_JAVA_HOME");
    if (explicit != null && !explicit.isBlank()) {
      Optional<Jdk> jdk = jdkAt(Path.of(explicit));
      if (jdk.isEmpty() || jdk.get().major() < MIN_JAVA) {
        throw new IllegalStateException("KEYCLOAK_JAVA_HOME=" + explicit + " is not a JDK " + MIN_JAVA
            + "+ (no bin/java, or its release file says " + jdk.map(j -> "" + j.major()).orElse("nothing") + ")");
      }
      return jdk;
    }
    List<Jdk> found = new ArrayList<>();
    if (Files.isDirectory(JVM_DIR)) {
      try (Stream<Path> dirs = Files.list(JVM_DIR)) {
        dirs.filter(Files::isDirectory).map(KeycloakServer::jdkAt).flatMap(Optional::stream)
            .forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + JVM_DIR, e);
      }
    }
    jdkAt(Path.of(System.getProperty("java.home"))).ifPresent(found::add);
    return found.stream().filter(j -> j.major() >= MIN_JAVA)
        .max(Comparator.comparingInt(Jdk::major).thenComparing(j -> j.home().toString()));
  }

  private static Optional<Jdk> jdkAt(Path home) {
    Path release = home.resolve("release");
    if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(release)) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
        Matcher m = JAVA_VERSION.matcher(line);
        if (m.matches()) {
          String v = m.group(1);
          String[] parts = (v.startsWith("1.") ? v.substring(2) : v).split("[.+-]");
          return Optional.of(new Jdk(home.toRealPath(), Integer.parseInt(parts[0])));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * Starts {@code kc.sh start-dev} on a free 127.0.0.1 port with a fresh (deleted) dev database and
   * waits (at most {@link #START_TIMEOUT}) until {@code /realms/master} answers 200.
   */
  public static KeycloakServer start(String test, Path distribution, Jdk jdk) {
    int port = Cluster.freePort();
    int managementPort = Cluster.freePort();
    Path log = ItPaths.logDir(test).resolve("keycloak.log");
    ItPaths.deleteTree(distribution.resolve("data"));
    List<String> command = List.of(distribution.resolve("bin/kc.sh").toString(), "start-dev",
        "--http-host=127.0.0.1", "--http-port=" + port,
        "--http-management-port=" + managementPort, "--health-enabled=true");
    long started = System.nanoTime();
    Process process;
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "=== it-harness: starting keycloak at " + Instant.now() + " java=" + jdk.home()
          + " " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(distribution.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("KEEP_") || k.startsWith("JAVA_OPTS"));
      env.put("JAVA_HOME", jdk.home().toString());
      env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
      env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
      env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
      process = builder.start();
      process.getOutputStream().close();
      LiveProcesses.register(process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start keycloak from " + distribution, e);
    }
    KeycloakServer server = new KeycloakServer(process, "http://127.0.0.1:" + port, log, Duration.ZERO);
    try {
      await("keycloak /realms/master on port " + port).atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .failFast("keycloak exited before it answered", () -> !process.isAlive())
          .until(() -> server.get("/realms/master").statusCode() == 200);
    } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
      server.close();
      throw new AssertionError(e.getMessage() + server.describe(), e);
    }
    return new KeycloakServer(process, server.baseUrl, log, Duration.ofNanos(System.nanoTime() - started));
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** {@code http://127.0.0.1:PORT/realms/<realm>}: the realm's issuer and discovery base. */
  public String realmUrl(String realm) {
    return baseUrl + "/realms/" + realm;
  }

  /** From launch to the first 200 of {@code /realms/master}. */
  public Duration startTime() {
    return startTime;
  }

  public Path logFile() {
    return log;
  }

  /** A realm whose id is its name (so components can name it as their parent). */
  public void createRealm(String realm) {
    admin("POST", "/admin/realms", new JsonObject().put("id", realm).put("realm", realm).put("enabled", true), 201);
  }

  /**
   * A public client with the password grant, whose access tokens carry {@code audience} in
   * {@code aud} (an {@code oidc-audience-mapper}).
   */
  public void createPublicClient(String realm, String clientId, String audience) {
    JsonObject mapper = new JsonObject()
        .put("name", "audience-" + audience)
        .put("protocol", "openid-connect")
        .put("protocolMapper", "oidc-audience-mapper")
        .put("config", new JsonObject()
            .put("included.custom.audience", audience)
            .put("access.token.claim", "true")
            .put("id.token.claim", "false"));
    JsonObject client = new JsonObject()
        .put("clientId", clientId)
        .put("protocol", "openid-connect")
        .put("publicClient", true)
        .put("directAccessGrantsEnabled", true)
        .put("standardFlowEnabled", false)
        .put("enabled", true)
        .put("protocolMappers", new JsonArray().add(mapper));
    admin("POST", "/admin/realms/" + realm + "/clients", client, 201);
  }

  /** An enabled user with a non-temporary password, a verified email and the names the 26.x user profile asks for. */
  public void createUser(String realm, String username, String password, String email) {
    JsonObject user = new JsonObject()
        .put("username", username)
        .put("enabled", true)
        .put("email", email)
        .put("emailVerified", true)
        .put("firstName", username)
        .put("lastName", "Tester")
        .put("requiredActions", new JsonArray())
        .put("credentials", new JsonArray().add(new JsonObject()
            .put("type", "password").put("value", password).put("temporary", false)));
    admin("POST", "/admin/realms/" + realm + "/users", user, 201);
  }

  /** The access token of a password grant (Resource Owner Password Credentials) on a public client. */
  public String passwordGrant(String realm, String clientId, String username, String password) {
    HttpResponse<String> reply = post(realmUrl(realm) + "/protocol/openid-connect/token",
        form(Map.of("grant_type", "password", "client_id", clientId, "username", username,
            "password", password, "scope", "openid")));
    if (reply.statusCode() != 200) {
      throw new AssertionError("password grant of " + username + " in " + realm + " answered "
          + reply.statusCode() + ": " + reply.body());
    }
    return new JsonObject(reply.body()).getString("access_token");
  }

  /**
   * A new {@code rsa-generated} key provider in {@code realm} with {@code priority}: with a priority
   * above the realm's default (100), it signs every new token, and the old key stays published.
   */
  public void addRsaKey(String realm, String name, int priority) {
    JsonObject component = new JsonObject()
        .put("name", name)
        .put("providerId", "rsa-generated")
        .put("providerType", "org.keycloak.keys.KeyProvider")
        .put("parentId", realm)
        .put("config", new JsonObject()
            .put("priority", new JsonArray().add(Integer.toString(priority)))
            .put("enabled", new JsonArray().add("true"))
            .put("active", new JsonArray().add("true"))
            .put("keySize", new JsonArray().add("2048"))
            .put("algorithm", new JsonArray().add("RS256")));
    admin("POST", "/admin/realms/" + realm + "/components", component, 201);
  }

  /** The {@code kid}s of the realm's JWKS ({@code /protocol/openid-connect/certs}). */
  public List<String> publishedKids(String realm) {
    HttpResponse<String> reply = get("/realms/" + realm + "/protocol/openid-connect/certs");
    if (reply.statusCode() != 200) {
      throw new AssertionError("JWKS of " + realm + " answered " + reply.statusCode() + ": " + reply.body());
    }
    return new JsonObject(reply.body()).getJsonArray("keys").stream()
        .map(k -> ((JsonObject) k).getString("kid")).collect(Collectors.toList());
  }

  private String adminToken() {
    HttpResponse<String> reply = post(baseUrl + "/realms/master/protocol/openid-connect/token",
        form(Map.of("grant_type", "password", "client_id", "admin-cli", "username", ADMIN,
            "password", ADMIN_PASSWORD)));
    if (reply.statusCode() != 200) {
      throw new AssertionError("keycloak admin token answered " + reply.statusCode() + ": " + reply.body());
    }
    return new JsonObject(reply.body()).getString("access_token");
  }

  /** One admin REST call with a fresh admin token (they live 60 s); fails unless it answers {@code expected}. */
  private void admin(String method, String path, JsonObject body, int expected) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + adminToken())
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
    HttpResponse<String> reply = send(request);
    if (reply.statusCode() != expected) {
      throw new AssertionError("keycloak " + method + " " + path + " answered " + reply.statusCode()
          + " (expected " + expected + "): " + reply.body());
    }
  }

  private HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT).GET().build());
  }

  private HttpResponse<String> post(String url, String form) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("keycloak " + request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** The log path and its last lines, for failure messages. */
  public String describe() {
    StringBuilder b = new StringBuilder(System.lineSeparator()).append("  keycloak log: ").append(log);
    for (String line : NodeProcess.tail(log, 25)) {
      b.append(System.lineSeparator()).append("    | ").append(line);
    }
    return b.toString();
  }

  /** Kills Keycloak and every process it started (kc.sh execs java, but a build step may linger). */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LiveProcesses.forget(process);
  }
}
