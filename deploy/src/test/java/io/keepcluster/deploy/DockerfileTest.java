package io.keepcluster.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.deploy.DockerfileInstructions.Instruction;
import io.keepcluster.node.config.NodeConfig;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * deploy/Dockerfile, checked line by line (no Docker daemon needed): what must hold for the
 * image to run as a non-root user on a writable volume and to stop cleanly.
 */
@DisplayName("the Dockerfile")
class DockerfileTest {

  private static List<Instruction> instructions;

  @BeforeAll
  static void read() throws IOException {
    instructions = DockerfileInstructions.read();
  }

  private static List<String> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
  }

  private static String last(String keyword) {
    List<String> found = all(keyword);
    assertFalse(found.isEmpty(), "the Dockerfile has no " + keyword);
    return found.get(found.size() - 1);
  }

  @Test
  @DisplayName("every base image is pinned to a full version tag, never latest")
  void pinnedBase() {
    for (String from : all("FROM")) {
      String image = from.split("\\s+")[0];
      assertTrue(image.matches("[^:]+:\\d+\\.\\d+\\.\\d+[^:]*"), image + " carries a full version tag");
      assertFalse(image.contains("latest"), image);
    }
  }

  @Test
  @DisplayName("the image runs as a dedicated non-root user with a fixed uid")
  void nonRoot() {
    String user = last("USER").split(":")[0];
    assertFalse(user.equals("root") || user.equals("0"), "USER " + user);
    assertTrue(all("RUN").stream().anyMatch(r -> r.contains("useradd") && r.contains("--uid 10001") && r.contains(user)));
  }

  @Test
  @DisplayName("the VOLUME path exists in the image and belongs to the runtime user, and the config dir lies inside it")
  void volumeOwnedByUser() {
    String volume = last("VOLUME");
    String user = last("USER").split(":")[0];
    String setup = String.join(" && ", all("RUN"));
    List<String> cmd = new JsonArray(last("CMD")).stream().map(Object::toString).toList();
    String configDir = cmd.get(cmd.indexOf("--config-dir") + 1);
    assertAll(
        () -> assertTrue(setup.matches(".*mkdir -p \\S*" + volume + "\\S*.*"), "mkdir " + volume),
        () -> assertTrue(setup.matches(".*chown -R " + user + ":" + user + " \\S+.*"), "chown to " + user),
        () -> assertTrue(volume.startsWith(setup.replaceAll(".*chown -R \\S+ (\\S+).*", "$1")), "chown covers " + volume),
        () -> assertTrue(configDir.startsWith(volume + "/"), configDir + " inside " + volume));
  }

  @Test
  @DisplayName("JAVA_OPTS defaults to the launchers' JVM options and reaches java")
  void javaOpts() {
    assertTrue(all("ENV").stream().anyMatch(e -> e.contains("JAVA_OPTS=\"" + DeployFiles.DEFAULT_JAVA_OPTS + "\"")),
        "ENV JAVA_OPTS=\"" + DeployFiles.DEFAULT_JAVA_OPTS + "\"");
    assertTrue(last("ENTRYPOINT").contains("exec java $JAVA_OPTS -jar"));
  }

  @Test
  @DisplayName("ENTRYPOINT and CMD are exec form, and the shell execs java so SIGTERM (STOPSIGNAL) reaches it")
  void signals() {
    JsonArray entrypoint = new JsonArray(last("ENTRYPOINT"));
    assertAll(
        () -> assertEquals("SIGTERM", last("STOPSIGNAL")),
        () -> assertTrue(entrypoint.getString(2).startsWith("exec java "), "the shell replaces itself with java"),
        () -> assertTrue(entrypoint.getString(2).contains("\"$@\""), "CMD arguments pass through"),
        () -> new JsonArray(last("CMD")));
  }

  @Test
  @DisplayName("a HEALTHCHECK asks /health/ready on the node's health port")
  void healthcheck() {
    NodeConfig defaults = NodeFacts.defaults();
    String check = last("HEALTHCHECK");
    assertAll(
        () -> assertTrue(check.contains("/health/ready"), check),
        () -> assertTrue(check.contains("HEALTHCHECKPORT:-" + defaults.ports().health()), check),
        () -> assertTrue(check.contains("--start-period="), check));
  }

  @Test
  @DisplayName("EXPOSE lists the node's default API, health and metrics ports, not the management port")
  void exposedPorts() {
    NodeConfig defaults = NodeFacts.defaults();
    List<Integer> exposed = Arrays.stream(last("EXPOSE").split("\\s+")).map(Integer::valueOf).toList();
    assertAll(
        () -> assertTrue(exposed.containsAll(List.of(defaults.ports().api(), defaults.ports().health(),
            defaults.ports().metrics())), exposed.toString()),
        () -> assertFalse(exposed.contains(defaults.ports().management()), exposed.toString()));
  }
}
