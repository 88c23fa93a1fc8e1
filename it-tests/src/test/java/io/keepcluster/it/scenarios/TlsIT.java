package io.keepcluster.it.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ItPaths;
import io.keepcluster.it.harness.NodeLogsOnFailure;
import io.keepcluster.it.harness.NodeProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 11 on real node processes: TLS from the environment, and a port that is taken. */
@DisplayName("Issue 11: TLS and listening errors of a node process")
@ExtendWith(NodeLogsOnFailure.class)
class TlsIT {

  private static final String TEST = "TlsIT";
  private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T.*");

  @BeforeAll
  static void freshFolders() {
    ItPaths.deleteTree(ItPaths.logDir(TEST));
    ItPaths.deleteTree(ItPaths.nodeRoot(TEST));
  }

  private static NodeProcess node(String id, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(NodeProcess.singleNodeEnv(Cluster.ADMIN_PASSWORD));
    env.putAll(extra);
    return new NodeProcess(id, ItPaths.nodeRoot(TEST).resolve(id).resolve("keepconfig.d"), ItPaths.logDir(TEST), env);
  }

  @Test
  @DisplayName("a node given an openssl RSA certificate by KEEP_TLS_* serves login and userinfo over HTTPS, keeps health plain, and exits 0 on SIGTERM")
  void httpsFromEnvironment() throws Exception {
    Path tls = ItPaths.nodeRoot(TEST).resolve("tls-files");
    Files.createDirectories(tls);
    openssl(tls, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.crt",
        "-subj", "/CN=keepcluster-it", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2");
    HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).sslContext(trusting(tls.resolve("server.crt"))).build();

    try (NodeProcess node = node("tls", Map.of("KEEP_TLS_CERT_FILE", tls.resolve("server.crt").toString(),
        "KEEP_TLS_KEY_FILE", tls.resolve("server.key").toString(), "KEEP_SHUTDOWN_DRAIN_SECONDS", "1"))) {
      node.start();
      URI api = URI.create("https://127.0.0.1:" + node.ports().api());
      HttpResponse<String> login = https.send(HttpRequest.newBuilder(api.resolve("/api/v1/auth"))
          .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", Cluster.ADMIN)
              .put("password", Cluster.ADMIN_PASSWORD).encode())).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, login.statusCode(), login.body());
      X509Certificate served = (X509Certificate) login.sslSession().orElseThrow().getPeerCertificates()[0];
      assertEquals("CN=keepcluster-it", served.getSubjectX500Principal().getName());

      String bearer = new JsonObject(login.body()).getString("bearer");
      HttpResponse<String> userinfo = https.send(HttpRequest.newBuilder(api.resolve("/api/v1/userinfo"))
          .header("Authorization", "Bearer " + bearer).timeout(Duration.ofSeconds(20)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, userinfo.statusCode(), userinfo.body());
      assertEquals(200, node.client().ready().status(), "health stays plain HTTP for probes");

      node.terminate();
      assertEquals(0, node.awaitExit(Duration.ofSeconds(60)), "exit code; log " + node.logFile());
      assertTrue(node.stderrSinceLastStart().contains("event=shutdown phase=done clean=true"));
    }
  }

  @Test
  @DisplayName("a node whose API port is held by another socket exits 2 with one line naming the port, its setting and the address")
  void portInUse() throws Exception {
    try (ServerSocket occupant = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        NodeProcess node = node("busy", Map.of("PORT", Integer.toString(occupant.getLocalPort())))) {
      node.launch();
      int exit = node.awaitExit(Duration.ofSeconds(60));
      List<String> reasons = node.stderrSinceLastStart().lines()
          .filter(l -> !l.isBlank() && !LOG_LINE.matcher(l).matches()).toList();
      assertEquals(2, exit, "exit code; log " + node.logFile());
      assertEquals(List.of("keepcluster: cannot listen on api port 127.0.0.1:" + occupant.getLocalPort()
          + " (PORT): address already in use"), reasons);
    }
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry("it", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + output);
    }
  }
}
