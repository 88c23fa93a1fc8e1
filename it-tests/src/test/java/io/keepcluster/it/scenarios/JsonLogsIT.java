package io.keepcluster.it.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.ItPaths;
import io.keepcluster.it.harness.NodeLogsOnFailure;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.Waits;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("JSON logs and the audit stream of a real node process")
@ExtendWith(NodeLogsOnFailure.class)
class JsonLogsIT {

  private static final String TEST = "JsonLogsIT";
  private static final String WRONG_PASSWORD = "Wr0ng-Pa55word-JsonLogsIT";
  /** A password typed into the username field: it must show up only as a fingerprint. */
  private static final String PASSWORD_AS_NAME = "Tr0ub4dor-As-Username-JsonLogsIT";
  private static final String HARNESS_BANNER = "=== it-harness:";

  @BeforeAll
  static void freshLogs() {
    ItPaths.deleteTree(ItPaths.logDir(TEST));
  }

  @Test
  @DisplayName("with KEEP_LOG_FORMAT=json every log line is one JSON object; logins, a created keyset and its activation are audited; no secret is logged")
  void jsonLogsAndAudit() throws IOException {
    Path root = ItPaths.nodeRoot(TEST).resolve("json");
    ItPaths.deleteTree(root);
    Path auditFile = root.resolve("audit.log");
    Map<String, String> env = NodeProcess.singleNodeEnv(Cluster.ADMIN_PASSWORD);
    env.put("KEEP_LOG_FORMAT", "json");
    env.put("KEEP_AUDIT_FILE", auditFile.toString());
    try (NodeProcess node = new NodeProcess("json", root.resolve("keepconfig.d"), ItPaths.logDir(TEST), env)
        .start()) {
      String token = node.client().token(Cluster.ADMIN, Cluster.ADMIN_PASSWORD);
      assertEquals(200, node.client().userinfo(token).status());
      assertEquals(401, node.client().login(Cluster.ADMIN, WRONG_PASSWORD).status());
      assertEquals(401, node.client().login(PASSWORD_AS_NAME, WRONG_PASSWORD).status());
      assertEquals(201, node.client().createIdpCertificate("JsonLogs", "EC").status());
      ClusterWaits.awaitSigning(List.of(node), "JsonLogs", Duration.ofSeconds(15));

      Waits.within(10, "audit events in the log").until(() ->
          event(lines(node.logFile()), "keyset_signing").isPresent()
              && event(lines(node.logFile()), "login_failed").isPresent());

      List<JsonObject> log = lines(node.logFile());
      for (JsonObject line : log) {
        for (String field : List.of("timestamp", "level", "logger", "message")) {
          assertTrue(line.containsKey(field), field + " missing: " + line.encode());
        }
      }

      JsonObject loginOk = event(log, "login_ok").orElseThrow();
      assertEquals(Cluster.ADMIN, loginOk.getString("user"));
      assertEquals("127.0.0.1", loginOk.getString("client"));
      assertTrue(loginOk.getString("request_id").matches("[0-9a-f]{16}"), loginOk.encode());
      assertEquals(Boolean.TRUE, loginOk.getBoolean("audit"));

      List<JsonObject> failures = log.stream().filter(l -> "login_failed".equals(l.getString("event"))).toList();
      assertEquals(2, failures.size(), failures.toString());
      assertEquals("wrong_password", failures.get(0).getString("reason"));
      assertTrue(failures.get(1).getString("user").startsWith("<unknown:"), failures.get(1).encode());
      failures.forEach(f -> assertTrue(f.containsKey("request_id") && f.containsKey("client"), f.encode()));

      JsonObject created = event(log, "keyset_created").orElseThrow();
      assertEquals("JsonLogs", created.getString("kid"));
      assertEquals("ES256", created.getString("alg"));
      assertEquals(Boolean.TRUE, created.getBoolean("audit"));
      assertTrue(created.containsKey("request_id"), created.encode());
      assertTrue(event(log, "keyset_published").isPresent(), "keyset_published audited");
      JsonObject signing = event(log, "keyset_signing").orElseThrow();
      assertEquals("JsonLogs", signing.getString("kid"));

      String raw = Files.readString(node.logFile(), StandardCharsets.UTF_8);
      for (String secret : List.of(Cluster.ADMIN_PASSWORD, WRONG_PASSWORD, PASSWORD_AS_NAME,
          NodeProcess.managementPassword(Cluster.ADMIN_PASSWORD), "PRIVATE KEY", token)) {
        assertFalse(raw.contains(secret), "the log contains a secret: " + secret);
      }

      List<JsonObject> audit = lines(auditFile);
      assertFalse(audit.isEmpty());
      audit.forEach(a -> assertEquals(Boolean.TRUE, a.getBoolean("audit"), a.encode()));
      assertTrue(event(audit, "keyset_created").isPresent(), "the audit file has keyset_created");
      assertTrue(event(audit, "login_ok").isPresent(), "the audit file has login_ok");

      String metrics = node.client().metrics().body();
      assertTrue(metrics.contains("keepcluster_login_duration_seconds_bucket{"), "login histogram");
      assertTrue(metrics.contains("jvm_memory_used_bytes{"), "jvm metrics");
      assertTrue(metrics.contains("process_cpu_usage "), "process metrics");
    }
  }

  private static Optional<JsonObject> event(List<JsonObject> lines, String event) {
    return lines.stream().filter(l -> event.equals(l.getString("event"))).findFirst();
  }

  /** Every line of {@code file} as JSON (the harness's own banner lines aside); fails on any other. */
  private static List<JsonObject> lines(Path file) throws IOException {
    List<JsonObject> parsed = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith(HARNESS_BANNER)) {
        continue;
      }
      try {
        parsed.add(new JsonObject(line));
      } catch (DecodeException e) {
        throw new AssertionError("not a JSON line in " + file.getFileName() + ": " + line, e);
      }
    }
    return parsed;
  }
}
