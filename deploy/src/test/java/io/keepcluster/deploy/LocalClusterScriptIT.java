package io.keepcluster.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The README's "Local cluster" walkthrough, for real: deploy/local-cluster.sh starts two node
 * processes on free ports, and each step is checked the way an operator would (HTTP calls, pid
 * files, the processes themselves). The steps build on each other, so they run in order on one
 * cluster folder; {@link #cleanUp} stops and, failing that, kills every node the test saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("deploy/local-cluster.sh")
class LocalClusterScriptIT {

  private static final int HEALTH = 6;
  private static final int MANAGEMENT = 9;
  private LocalClusterScript script;
  private String firstStartOutput;
  private String bearer;

  @BeforeAll
  void startTwoNodes() throws IOException {
    Path dir = Files.createTempDirectory("local-cluster-it");
    script = new LocalClusterScript(dir, FreePorts.block(40));
    LocalClusterScript.Result start = script.run("start", "2");
    firstStartOutput = start.output();
    assertEquals(0, start.exit(), "start 2 failed:\n" + start.output());
  }

  @AfterAll
  void cleanUp() {
    if (script != null) {
      script.close();
      for (long pid : script.seenPids()) {
        assertFalse(script.ours(pid), "node process " + pid + " still runs after the test");
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("start stores the secret and both passwords in secrets.env (0600) and prints the passwords once, with where they are")
  void storesSecrets() throws IOException {
    Path secrets = script.dir().resolve("secrets.env");
    Map<String, String> values = secrets();
    assertAll(
        () -> assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))),
        () -> assertTrue(values.get("KEEP_CLUSTER_SECRET").length() >= 22, "a strong cluster secret"),
        () -> assertTrue(firstStartOutput.contains(values.get("KEEP_ADMIN_PASSWORD")), "admin password printed"),
        () -> assertTrue(firstStartOutput.contains(values.get("KEEP_MANAGEMENT_PASSWORD")), "management password printed"),
        () -> assertFalse(firstStartOutput.contains(values.get("KEEP_CLUSTER_SECRET")), "the secret stays in the file"),
        () -> assertTrue(firstStartOutput.contains(secrets.toString()), "says where they are stored"));
  }

  @Test
  @Order(2)
  @DisplayName("start prints the api, health, management and metrics URLs of every node")
  void printsUrls() {
    for (int node = 1; node <= 2; node++) {
      for (int offset : new int[] {0, HEALTH, MANAGEMENT, 10}) {
        String url = "http://127.0.0.1:" + script.port(node, offset) + "/";
        assertTrue(firstStartOutput.contains(url), "node" + node + " URL " + url + " in:\n" + firstStartOutput);
      }
    }
  }

  @Test
  @Order(3)
  @DisplayName("the stored admin password logs in on node 1 and the token works on node 2; the management password opens node 2's console API")
  void loginOnOneUseOnTheOther() throws IOException {
    Map<String, String> values = secrets();
    Http.Answer login = Http.postJson(apiUrl(1) + "/api/v1/auth",
        new JsonObject().put("username", "admin").put("password", values.get("KEEP_ADMIN_PASSWORD")));
    assertEquals(200, login.status(), login.body());
    bearer = "Bearer " + login.json().getString("bearer");

    Http.Answer userinfo = Http.get(apiUrl(2) + "/api/v1/userinfo", bearer);
    assertEquals(200, userinfo.status(), userinfo.body());
    assertEquals("CN=admin/O=KeepCluster", userinfo.json().getString("sub"));

    Http.Answer console = Http.get("http://127.0.0.1:" + script.port(2, MANAGEMENT) + "/api/node",
        Http.basic("admin", values.get("KEEP_MANAGEMENT_PASSWORD")));
    assertEquals(200, console.status(), console.body());
  }

  @Test
  @Order(4)
  @DisplayName("status reports both nodes running and ready, with exit code 0")
  void status() {
    LocalClusterScript.Result status = script.run("status");
    assertEquals(0, status.exit(), status.output());
    for (int node = 1; node <= 2; node++) {
      long pid = script.pid(node).orElseThrow();
      assertTrue(status.output().contains("node" + node + ": running (pid " + pid + "), ready"), status.output());
    }
  }

  @Test
  @Order(5)
  @DisplayName("start while running refuses with exit 1 and changes nothing: same pids, same secrets, same files")
  void startAgainRefuses() throws IOException {
    long pid1 = script.pid(1).orElseThrow();
    long pid2 = script.pid(2).orElseThrow();
    String secretsBefore = Files.readString(script.dir().resolve("secrets.env"));
    String confBefore = Files.readString(script.dir().resolve("cluster.conf"));

    LocalClusterScript.Result again = script.run("start", "2");

    assertAll(
        () -> assertEquals(1, again.exit(), again.output()),
        () -> assertTrue(again.output().contains("refused"), again.output()),
        () -> assertTrue(again.output().contains("running (pid " + pid1 + ")"), "shows the status"),
        () -> assertEquals(pid1, script.pid(1).orElseThrow()),
        () -> assertEquals(pid2, script.pid(2).orElseThrow()),
        () -> assertTrue(script.ours(pid1) && script.ours(pid2), "both nodes still run"),
        () -> assertEquals(secretsBefore, Files.readString(script.dir().resolve("secrets.env"))),
        () -> assertEquals(confBefore, Files.readString(script.dir().resolve("cluster.conf"))));
  }

  @Test
  @Order(6)
  @DisplayName("restart 2 ends node 2's process, starts a new one that is ready and still accepts node 1's token, and appends to its log")
  void restartOneNode() throws IOException {
    long oldPid = script.pid(2).orElseThrow();
    long node1 = script.pid(1).orElseThrow();
    Path log = script.dir().resolve("node2").resolve("node.log");
    String logBefore = Files.readString(log);

    LocalClusterScript.Result restart = script.run("restart", "2");

    assertEquals(0, restart.exit(), restart.output());
    long newPid = script.pid(2).orElseThrow();
    assertAll(
        () -> assertNotEquals(oldPid, newPid),
        () -> assertFalse(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false), "old node 2 gone"),
        () -> assertTrue(script.ours(newPid), "new node 2 runs"),
        () -> assertEquals(node1, script.pid(1).orElseThrow(), "node 1 untouched"),
        () -> assertEquals(200, Http.statusOf(healthUrl(2) + "/health/ready")),
        () -> assertEquals(200, Http.get(apiUrl(2) + "/api/v1/userinfo", bearer).status()),
        () -> assertTrue(Files.readString(log).startsWith(logBefore), "log appended, not overwritten"),
        () -> assertEquals(2, count(Files.readString(log), "=== local-cluster.sh: starting node2")));
  }

  @Test
  @Order(7)
  @DisplayName("stop ends exactly the processes it started, waits for them and removes their pid files")
  void stop() {
    long pid1 = script.pid(1).orElseThrow();
    long pid2 = script.pid(2).orElseThrow();

    LocalClusterScript.Result stop = script.run("stop");

    assertAll(
        () -> assertEquals(0, stop.exit(), stop.output()),
        () -> assertFalse(ProcessHandle.of(pid1).map(ProcessHandle::isAlive).orElse(false), "node 1 gone"),
        () -> assertFalse(ProcessHandle.of(pid2).map(ProcessHandle::isAlive).orElse(false), "node 2 gone"),
        () -> assertFalse(Files.exists(script.dir().resolve("node1/pid"))),
        () -> assertFalse(Files.exists(script.dir().resolve("node2/pid"))),
        () -> assertEquals(3, script.run("status").exit(), "status of a stopped cluster"));
  }

  @Test
  @Order(8)
  @DisplayName("a later start ignores a stale pid file, reuses the stored secrets without printing them, and appends to the logs")
  void secondStartReusesSecrets() throws IOException {
    String secretsBefore = Files.readString(script.dir().resolve("secrets.env"));
    Map<String, String> values = secrets();
    String log1Before = Files.readString(script.dir().resolve("node1/node.log"));
    // A pid that now belongs to another process (this JVM): what a crash or a reboot leaves.
    Files.writeString(script.dir().resolve("node1/pid"), Long.toString(ProcessHandle.current().pid()));

    LocalClusterScript.Result start = script.run("start", "2");

    assertEquals(0, start.exit(), start.output());
    assertAll(
        () -> assertTrue(start.output().contains("stale pid file"), start.output()),
        () -> assertTrue(script.ours(script.pid(1).orElseThrow())),
        () -> assertEquals(secretsBefore, Files.readString(script.dir().resolve("secrets.env"))),
        () -> assertFalse(start.output().contains(values.get("KEEP_ADMIN_PASSWORD")), "not printed again"),
        () -> assertTrue(Files.readString(script.dir().resolve("node1/node.log")).startsWith(log1Before)),
        () -> assertEquals(200, Http.postJson(apiUrl(2) + "/api/v1/auth", new JsonObject()
            .put("username", "admin").put("password", values.get("KEEP_ADMIN_PASSWORD"))).status()));
  }

  private Map<String, String> secrets() throws IOException {
    Properties properties = new Properties();
    try (var reader = Files.newBufferedReader(script.dir().resolve("secrets.env"))) {
      properties.load(reader);
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, String> values = (Map) properties;
    return Map.copyOf(values);
  }

  private String apiUrl(int node) {
    return "http://127.0.0.1:" + script.port(node, 0);
  }

  private String healthUrl(int node) {
    return "http://127.0.0.1:" + script.port(node, HEALTH);
  }

  private static int count(String text, String needle) {
    int count = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      count++;
    }
    return count;
  }
}
