package io.keepcluster.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.config.NodeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** deploy/docker-compose.yml read as YAML (anchors and merge keys resolved) and held to its rules. */
@DisplayName("docker-compose.yml")
class DockerComposeTest {

  private static final Set<String> SECRETS = Set.of("KEEP_CLUSTER_SECRET", "KEEP_ADMIN_PASSWORD", "KEEP_MANAGEMENT_PASSWORD");
  private static Map<String, Map<String, Object>> services;
  private static NodeConfig defaults;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void read() throws IOException {
    try (Reader reader = Files.newBufferedReader(DeployFiles.file("docker-compose.yml"))) {
      Map<String, Object> compose = new Yaml(new LoaderOptions()).load(reader);
      services = (Map<String, Map<String, Object>>) compose.get("services");
    }
    defaults = NodeFacts.defaults();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> env(Map<String, Object> service) {
    return (Map<String, Object>) service.get("environment");
  }

  @Test
  @DisplayName("three nodes, each with its own id, on one member list of their hostnames")
  void threeNodes() {
    assertEquals(3, services.size());
    List<String> members = new ArrayList<>();
    services.forEach((name, service) -> {
      assertEquals(name, env(service).get("KEEP_NODE_ID"));
      members.add(service.get("hostname") + ":" + env(service).get("KEEP_CLUSTER_PORT"));
    });
    services.values().forEach(s -> assertEquals(String.join(",", members), env(s).get("KEEP_CLUSTER_MEMBERS")));
  }

  @Test
  @DisplayName("the secret and passwords come from a required env file, never from a literal in the compose file")
  @SuppressWarnings("unchecked")
  void secretsFromEnvFile() throws IOException {
    String example = Files.readString(DeployFiles.file("keepcluster.env.example"));
    for (Map<String, Object> service : services.values()) {
      assertTrue(env(service).keySet().stream().noneMatch(SECRETS::contains), "no secret in environment:");
      List<Map<String, Object>> envFiles = (List<Map<String, Object>>) service.get("env_file");
      assertEquals("keepcluster.env", envFiles.get(0).get("path"));
      assertEquals(Boolean.TRUE, envFiles.get(0).get("required"));
    }
    for (String name : SECRETS) {
      assertTrue(example.contains("\n" + name + "=\n"), "keepcluster.env.example names " + name + " with no value");
    }
    String gitignore = Files.readString(DeployFiles.deployDir().resolve("../.gitignore"));
    assertTrue(gitignore.contains("deploy/keepcluster.env"), "the filled-in env file is never committed");
  }

  @Test
  @DisplayName("only the API is published on every interface; health, management and metrics on 127.0.0.1 only")
  @SuppressWarnings("unchecked")
  void loopbackPorts() {
    Set<Integer> privatePorts = Set.of(defaults.ports().health(), defaults.ports().management(), defaults.ports().metrics());
    Pattern mapping = Pattern.compile("(?:([0-9.]+):)?(\\d+):(\\d+)");
    for (Map<String, Object> service : services.values()) {
      for (Object entry : (List<Object>) service.get("ports")) {
        Matcher m = mapping.matcher(entry.toString());
        assertTrue(m.matches(), "port mapping " + entry + " in host_ip:host:container form");
        int container = Integer.parseInt(m.group(3));
        assertTrue(container == defaults.ports().api() || privatePorts.contains(container), "unexpected port " + entry);
        if (privatePorts.contains(container)) {
          assertEquals("127.0.0.1", m.group(1), entry + " published on loopback only");
        }
      }
    }
  }

  @Test
  @DisplayName("every node has a health check on /health/ready, restarts unless stopped and runs a pinned image")
  @SuppressWarnings("unchecked")
  void healthAndRestart() {
    for (Map<String, Object> service : services.values()) {
      Map<String, Object> check = (Map<String, Object>) service.get("healthcheck");
      assertAll(
          () -> assertTrue(check.get("test").toString().contains("/health/ready")),
          () -> assertTrue(check.get("test").toString().contains("/" + defaults.ports().health())),
          () -> assertNotNull(check.get("start_period")),
          () -> assertEquals("unless-stopped", service.get("restart")),
          () -> assertTrue(service.get("image").toString().matches("[^:]+:\\d[\\w.-]*"), "pinned image"));
    }
  }

  @Test
  @DisplayName("stop_grace_period is longer than the node's drain")
  void gracePeriod() {
    for (Map<String, Object> service : services.values()) {
      Object drainValue = env(service).get("KEEP_SHUTDOWN_DRAIN_SECONDS");
      int drain = drainValue == null ? DeployFiles.DEFAULT_DRAIN_SECONDS : Integer.parseInt(drainValue.toString());
      Duration grace = Duration.parse("PT" + service.get("stop_grace_period").toString().toUpperCase());
      assertTrue(grace.toSeconds() >= drain + 10, "stop_grace_period " + grace + " vs drain " + drain + " s");
    }
  }

  @Test
  @DisplayName("containers are read-only with a tmpfs /tmp, drop every capability, forbid new privileges and mount the image's volume")
  @SuppressWarnings("unchecked")
  void hardening() throws IOException {
    String volume = DockerfileInstructions.read().stream().filter(i -> i.keyword().equals("VOLUME"))
        .reduce((a, b) -> b).orElseThrow().arguments();
    for (Map<String, Object> service : services.values()) {
      assertAll(
          () -> assertEquals(Boolean.TRUE, service.get("read_only")),
          () -> assertTrue(service.get("tmpfs").toString().contains("/tmp")),
          () -> assertEquals(List.of("ALL"), service.get("cap_drop")),
          () -> assertTrue(service.get("security_opt").toString().contains("no-new-privileges:true")),
          () -> assertTrue(((List<String>) service.get("volumes")).get(0).endsWith(":" + volume)),
          () -> assertNotNull(service.get("mem_limit")));
    }
  }

  @Test
  @DisplayName("every environment variable is one the node reads")
  void envNamesAreKnown() {
    for (Map<String, Object> service : services.values()) {
      for (String name : env(service).keySet()) {
        assertTrue(NodeFacts.known(name), name + " is not read by the node");
      }
    }
    assertFalse(env(services.get("node1")).containsKey("BIND"), "BIND keeps its default 0.0.0.0 inside the container");
  }
}
