package io.keepcluster.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The StatefulSet's container, run for real: the node jar started with the manifest's JAVA_OPTS,
 * args and environment (secrets generated, TLS files made by openssl), with only what a test
 * machine needs changed: every listener on 127.0.0.1 and free ports, the member list reduced to
 * this one node, the config dir under a temp folder. Then the kubelet's probe paths and the
 * image's HEALTHCHECK must succeed against it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("the StatefulSet's container, run as a real node")
class KubernetesManifestNodeIT {

  private static final Pattern PORTS = Pattern.compile(
      "ports api=(\\d+) health=(\\d+) management=(\\d+) metrics=(\\d+) cluster=(\\d+)");
  private final KubernetesManifests k8s = KubernetesManifests.load();
  private Path work;
  private Process node;
  private Path out;
  private Path log;
  private int healthPort;

  @BeforeAll
  void startNode() throws Exception {
    work = Files.createTempDirectory("k8s-node-it");
    out = work.resolve("node.out");
    log = work.resolve("node.log");
    String dataMount = "/var/lib/keepcluster/data";
    List<String> command = new ArrayList<>(List.of(DeployFiles.javaBin()));
    command.addAll(List.of(k8s.envValue("JAVA_OPTS").split("\\s+")));
    command.addAll(List.of("-jar", DeployFiles.nodeJar().toString()));
    for (String arg : k8s.node().getArgs()) {
      command.add(arg.replace(dataMount, work.resolve("data").toString()));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("KEEP_") || k.endsWith("PORT") || k.endsWith("BIND"));
    builder.environment().putAll(environment());
    node = builder.start();
    node.getOutputStream().close();
    await("ports line").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .failFast("node exited; log:\n" + log, () -> !node.isAlive())
        .until(() -> ports().isPresent());
    healthPort = Integer.parseInt(ports().orElseThrow().group(2));
  }

  /** The manifest's environment, with secrets generated and the local substitutions above. */
  private Map<String, String> environment() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    SecureRandom random = new SecureRandom();
    for (EnvVar var : k8s.node().getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom().getFieldRef() != null) {
        env.put(var.getName(), k8s.statefulSet().getMetadata().getName() + "-0");
      } else {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        env.put(var.getName(), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
      }
    }
    int clusterPort = FreePorts.one();
    env.putAll(Map.of("PORT", "0", "HEALTHCHECKPORT", "0", "MANAGMENTPORT", "0", "METRICSPORT", "0",
        "BIND", "127.0.0.1", "METRICS_BIND", "127.0.0.1", "MANAGEMENT_BIND", "127.0.0.1",
        "KEEP_CLUSTER_PORT", Integer.toString(clusterPort), "KEEP_CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort,
        "KEEP_CLUSTER_INTERFACE", "127.0.0.1"));
    Path tls = Files.createDirectories(work.resolve("tls"));
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=localhost", "-keyout", tls.resolve("tls.key").toString(), "-out", tls.resolve("tls.crt").toString());
    env.replaceAll((name, value) -> value.startsWith("/etc/keepcluster/tls/")
        ? tls.resolve(value.substring("/etc/keepcluster/tls/".length())).toString() : value);
    return env;
  }

  private static void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "openssl failed:\n" + output);
  }

  private Optional<Matcher> ports() throws IOException {
    Matcher m = PORTS.matcher(Files.exists(out) ? Files.readString(out) : "");
    return m.find() ? Optional.of(m) : Optional.empty();
  }

  @AfterAll
  void stopNode() throws InterruptedException {
    if (node != null) {
      node.destroy();
      if (!node.waitFor(60, TimeUnit.SECONDS)) {
        node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName("the startup, liveness and readiness probe paths answer 200 on the node's health port")
  void probesAnswer() {
    for (Probe probe : List.of(k8s.node().getStartupProbe(), k8s.node().getLivenessProbe(), k8s.node().getReadinessProbe())) {
      String url = "http://127.0.0.1:" + healthPort + probe.getHttpGet().getPath();
      await(url).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
          .until(() -> Http.statusOf(url) == 200);
    }
  }

  @Test
  @DisplayName("the image's HEALTHCHECK command (bash and /dev/tcp, no curl) succeeds against the ready node")
  void dockerHealthcheckWorks() throws Exception {
    String healthcheck = DockerfileInstructions.read().stream().filter(i -> i.keyword().equals("HEALTHCHECK"))
        .reduce((a, b) -> b).orElseThrow().arguments();
    JsonArray command = new JsonArray(healthcheck.substring(healthcheck.indexOf("CMD ") + 4));
    String url = "http://127.0.0.1:" + healthPort + "/health/ready";
    await(url).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> Http.statusOf(url) == 200);
    ProcessBuilder builder = new ProcessBuilder(command.stream().map(Object::toString).toList());
    builder.environment().put("HEALTHCHECKPORT", Integer.toString(healthPort));
    Process check = builder.redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(check.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, check.exitValue(), "HEALTHCHECK failed: " + output);
  }

  @Test
  @DisplayName("with the manifest's JAVA_OPTS the node's resident memory stays under the container's memory request")
  void memoryFitsTheRequest() throws IOException {
    String url = "http://127.0.0.1:" + healthPort + "/health/ready";
    await(url).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> Http.statusOf(url) == 200);
    Path status = Path.of("/proc", Long.toString(node.pid()), "status");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(status), "no /proc on this machine");
    Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(Files.readString(status));
    assertTrue(m.find());
    long rssMiB = Long.parseLong(m.group(1)) / 1024;
    Quantity request = k8s.node().getResources().getRequests().get("memory");
    long requestMiB = Quantity.getAmountInBytes(request).longValue() / (1024 * 1024);
    System.out.println("[k8s] node RSS " + rssMiB + " MiB with JAVA_OPTS=" + k8s.envValue("JAVA_OPTS")
        + "; request " + requestMiB + " MiB");
    assertTrue(rssMiB < requestMiB, "RSS " + rssMiB + " MiB over the request " + requestMiB + " MiB");
  }
}
