package io.keepcluster.node.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The process's log switched to JSON, then back to text; standard error captured meanwhile. */
class JsonLogFormatTest {

  private static final Logger LOG = LoggerFactory.getLogger(JsonLogFormatTest.class);

  @TempDir
  Path dir;

  private PrintStream originalErr;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    LogSetup.apply(LogSettings.DEFAULT);
    System.setErr(originalErr);
  }

  private List<String> lines() {
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  @DisplayName("json: one object per line with timestamp, level, logger, message and the key=value fields; a stack trace stays inside it")
  void jsonLines() {
    LogSetup.apply(new LogSettings(LogFormat.JSON, Optional.empty()));

    LOG.info("event=thing_done kid=K1 reason=\"two words\"");
    LOG.error("event=thing_failed kid=K2", new IllegalStateException("boom"));

    List<String> lines = lines();
    assertEquals(2, lines.size(), String.join("\n", lines));
    JsonObject first = new JsonObject(lines.get(0));
    assertEquals("INFO", first.getString("level"));
    assertEquals(JsonLogFormatTest.class.getName(), first.getString("logger"));
    assertEquals("event=thing_done kid=K1 reason=\"two words\"", first.getString("message"));
    assertEquals("thing_done", first.getString("event"));
    assertEquals("K1", first.getString("kid"));
    assertEquals("two words", first.getString("reason"));
    assertTrue(first.getString("timestamp").endsWith("Z"), first.getString("timestamp"));
    assertFalse(first.containsKey("audit"));
    JsonObject second = new JsonObject(lines.get(1));
    assertTrue(second.getString("stack_trace").contains("IllegalStateException: boom"));
    assertTrue(second.getString("stack_trace").contains("\n\tat "), "the trace keeps its lines, escaped");
  }

  @Test
  @DisplayName("audit events go to the same stream marked \"audit\":true, and are appended to the audit file")
  void auditStream() throws Exception {
    Path file = dir.resolve("audit.log");
    Files.writeString(file, "{\"earlier\":true}\n");
    LogSetup.apply(new LogSettings(LogFormat.JSON, Optional.of(file)));

    Audit.LOG.info("event=keyset_created kid=K3 alg=ES256");
    LOG.info("event=not_audit");

    List<String> lines = lines();
    JsonObject audit = new JsonObject(lines.get(0));
    assertEquals(Boolean.TRUE, audit.getBoolean("audit"));
    assertEquals("keepcluster.audit", audit.getString("logger"));
    assertEquals("keyset_created", audit.getString("event"));
    assertEquals(2, lines.size(), "an audit line is written once to the stream: " + lines);
    List<String> inFile = Files.readAllLines(file);
    assertEquals(2, inFile.size(), inFile.toString());
    assertEquals("K3", new JsonObject(inFile.get(1)).getString("kid"));
  }

  @Test
  @DisplayName("text: today's key=value line, the audit logger named in it")
  void textLines() {
    LogSetup.apply(new LogSettings(LogFormat.TEXT, Optional.empty()));

    Audit.LOG.info("event=login_ok user=alice");

    String line = lines().get(0);
    assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* INFO keepcluster\\.audit - event=login_ok user=alice"),
        line);
  }
}
