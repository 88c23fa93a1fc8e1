package io.keepcluster.node.keys;

import static org.awaitility.Awaitility.await;

import io.keepcluster.node.KeepClusterNode;
import io.keepcluster.node.config.ConfigLoader;
import io.keepcluster.node.config.NodeConfig;
import io.keepcluster.node.testing.TestNode;
import io.keepcluster.shared.config.ConfigOverlay;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetName;
import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.password.PasswordHashingParameters;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real KeepCluster node started in-process on a temporary config folder, with the user
 * {@code alice/pw} and the management account {@code ops/ops-pw}, spoken to over real HTTP.
 */
public final class KeysetTestNode implements AutoCloseable {

  public static final String USER = "alice";
  public static final String PASSWORD = "pw";
  public static final String OPS = "ops";
  public static final String OPS_PASSWORD = "ops-pw";

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final Path dir;
  private final KeepClusterNode node;

  private KeysetTestNode(Path dir, KeepClusterNode node) {
    this.dir = dir;
    this.node = node;
  }

  /** Writes the user and management account into {@code dir} and starts a node on it. */
  public static KeysetTestNode start(Path dir) throws Exception {
    prepare(dir);
    return startOn(dir);
  }

  /** Writes alice and the ops account into {@code dir} (so keysets can be placed before start). */
  public static void prepare(Path dir) throws IOException {
    PasswordHasher hasher = new PasswordHasher(PasswordHashingParameters.forTests());
    new UserDirectoryFile(dir).upsert(new UserRecord(USER, "CN=Alice/O=Acme", "alice@acme.test",
        "MAIL $DATA", hasher.hash(PASSWORD.toCharArray())));
    Files.writeString(dir.resolve("management.json"), new JsonObject().put("managementAccounts",
        new JsonObject().put(OPS, new JsonObject().put("passwordHash",
            hasher.hash(OPS_PASSWORD.toCharArray())))).encode());
  }

  public static KeysetTestNode startOn(Path dir) throws Exception {
    return startOn(dir, Map.of());
  }

  /**
   * A node on {@code dir} with {@code extraEnv} on top of the test defaults (free ports, loopback,
   * {@code KEEP_ROLLOVER_LEAD_SECONDS=0} so a dropped keyset signs at once, {@code KEEP_PUBLIC_URL}
   * {@link TestNode#PUBLIC_URL}; {@code ""} unsets a default).
   */
  public static KeysetTestNode startOn(Path dir, Map<String, String> extraEnv) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(Map.of("PORT", "0", "HEALTHCHECKPORT", "0",
        "MANAGMENTPORT", "0", "METRICSPORT", "0", "BIND", "127.0.0.1", "KEEP_ROLLOVER_LEAD_SECONDS", "0",
        "KEEP_PUBLIC_URL", TestNode.PUBLIC_URL));
    env.putAll(extraEnv);
    NodeConfig config = new ConfigLoader(ConfigOverlay.withBundledDefaults(), env).load(dir);
    KeepClusterNode node = KeepClusterNode.start(new KeepClusterNode.Settings(config, env,
        Clock.systemUTC(), PasswordHashingParameters.forTests()))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new KeysetTestNode(dir, node);
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() throws Exception {
    node.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  // ---- keysets on disk ----

  /** Generates a keyset and drops its four files into the folder the way {@code idp create} does. */
  public KeysetFiles drop(String name, KeyAlgorithmSpec spec, Clock clock) throws IOException {
    KeysetFiles files = generate(name, spec, clock);
    files.writeTo(dir);
    return files;
  }

  public KeysetFiles drop(String name) throws IOException {
    return drop(name, KeyAlgorithmSpec.rsa(2048), Clock.systemUTC());
  }

  public static KeysetFiles generate(String name, KeyAlgorithmSpec spec, Clock clock) {
    return new KeysetGenerator().generate(KeysetName.of(name), spec, clock);
  }

  /** Drops a keyset and waits until the node reports it as signing. */
  public KeysetFiles dropAndAwaitSigning(String name) throws IOException {
    KeysetFiles files = drop(name);
    awaitSigning(name);
    return files;
  }

  public void awaitSigning(String kid) {
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> kid.equals(signingKid()));
  }

  // ---- HTTP ----

  public int apiPort() {
    return node.ports().api();
  }

  public int managementPort() {
    return node.ports().management();
  }

  public URI api(String path) {
    return URI.create("http://127.0.0.1:" + node.ports().api() + path);
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  public HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build());
  }

  public JsonObject health() throws IOException, InterruptedException {
    return new JsonObject(get(URI.create("http://127.0.0.1:" + node.ports().health() + "/health")).body());
  }

  public String signingKid() throws IOException, InterruptedException {
    return health().getJsonObject("keys").getString("signing");
  }

  /** The health {@code keysets} entry of {@code kid}, if the node knows it. */
  public Optional<JsonObject> keysetState(String kid) throws IOException, InterruptedException {
    JsonArray keysets = health().getJsonArray("keysets");
    for (int i = 0; i < keysets.size(); i++) {
      if (kid.equals(keysets.getJsonObject(i).getString("kid"))) {
        return Optional.of(keysets.getJsonObject(i));
      }
    }
    return Optional.empty();
  }

  public String stateOf(String kid) throws IOException, InterruptedException {
    return keysetState(kid).map(s -> s.getString("state")).orElse("absent");
  }

  public List<JsonObject> problems() throws IOException, InterruptedException {
    JsonArray array = health().getJsonArray("problems");
    List<JsonObject> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      result.add(array.getJsonObject(i));
    }
    return result;
  }

  public HttpResponse<String> login() throws IOException, InterruptedException {
    String body = new JsonObject().put("username", USER).put("password", PASSWORD).encode();
    return send(HttpRequest.newBuilder(api("/api/v1/auth")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** Logs alice in and answers the bearer; fails unless the login answers 200. */
  public String bearer() throws IOException, InterruptedException {
    HttpResponse<String> response = login();
    if (response.statusCode() != 200) {
      throw new AssertionError("login answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body()).getString("bearer");
  }

  public HttpResponse<String> userinfo(String bearer) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(api("/api/v1/userinfo")).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + bearer).GET().build());
  }

  public HttpResponse<String> managementPost(String path, String body, Optional<String> basic)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.ports().management() + path))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    basic.ifPresent(credentials -> request.header("Authorization", "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
    return send(request.build());
  }

  public HttpResponse<String> createIdpCertificate(JsonObject body) throws IOException, InterruptedException {
    return managementPost("/api/idp-certificates", body.encode(), Optional.of(OPS + ":" + OPS_PASSWORD));
  }

  // ---- JWT helpers ----

  /** The decoded header of a compact JWT. */
  public static JsonObject header(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8));
  }

  public static String kidOf(String jwt) {
    return header(jwt).getString("kid");
  }

  // ---- openssl ----

  public static final String OPENSSL = "/usr/bin/openssl";

  public static boolean opensslAvailable() {
    return new File(OPENSSL).canExecute();
  }

  /** Runs openssl with {@code args} in {@code workDir}; answers the exit code (output goes to the test log). */
  public static int openssl(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(OPENSSL);
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("openssl " + args[0] + " timed out");
    }
    if (process.exitValue() != 0) {
      System.out.println("openssl " + String.join(" ", args) + " -> " + process.exitValue() + ": " + output.strip());
    }
    return process.exitValue();
  }

  /** Runs openssl and fails the test if it does not exit 0. */
  public static void opensslOk(Path workDir, String... args) throws IOException, InterruptedException {
    int exit = openssl(workDir, args);
    if (exit != 0) {
      throw new AssertionError("openssl " + String.join(" ", args) + " exited " + exit);
    }
  }

  /** A DRAPI-format descriptor for {@code name} (paths under keepconfig.d/, as DRAPI writes them). */
  public static String drapiDescriptor(String name, String family, boolean withCert) {
    JsonObject json = new JsonObject().put("JwtUsePubPrivKey", true).put("JwtUsePemFile", true)
        .put("JwtIssuer", "CN=KeepCluster/F=" + name)
        .put("JwtPrivateKeyFile", "keepconfig.d/" + name + ".private.key.pem")
        .put("JwtPublicKeyFile", "keepconfig.d/" + name + ".public.key.pem");
    if (withCert) {
      json.put("JwtCertFile", "keepconfig.d/" + name + ".cert.pem");
    }
    return json.put("JwtAlgorithm", family).encodePrettily();
  }
}
