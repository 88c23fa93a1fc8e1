package io.keepcluster.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/keepcluster.service: its directives, and systemd's own exposure score where systemd-analyze runs. */
@DisplayName("the systemd unit")
class SystemdUnitTest {

  private static final Pattern SCORE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)");
  private static Map<String, List<String>> service;

  @BeforeAll
  static void read() throws IOException {
    service = new LinkedHashMap<>();
    String section = "";
    for (String raw : DeployFiles.lines("keepcluster.service")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[")) {
        section = line;
      } else if (section.equals("[Service]")) {
        int eq = line.indexOf('=');
        service.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
      }
    }
  }

  private static String value(String key) {
    List<String> values = service.get(key);
    assertTrue(values != null && !values.isEmpty(), "[Service] has no " + key + "=");
    return values.get(values.size() - 1);
  }

  @Test
  @DisplayName("systemd-analyze security scores the unit below 3.0 (where systemd 252 or newer is installed)")
  void exposureScore(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(analyzeVersion() >= 252, "systemd-analyze 252+ (for --offline) is not installed");
    Path unit = dir.resolve("keepcluster.service");
    Files.copy(DeployFiles.file("keepcluster.service"), unit);
    Process process = new ProcessBuilder("systemd-analyze", "security", "--offline=true", "--no-pager", unit.toString())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    Matcher m = SCORE.matcher(output);
    assertTrue(m.find(), "no score in:\n" + output);
    double score = Double.parseDouble(m.group(1));
    System.out.println("[systemd-analyze] keepcluster.service exposure " + score);
    assertTrue(score < 3.0, "exposure " + score + ":\n" + output);
  }

  private static int analyzeVersion() {
    try {
      Process process = new ProcessBuilder("systemd-analyze", "--version").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(30, TimeUnit.SECONDS);
      Matcher m = Pattern.compile("systemd (\\d+)").matcher(output);
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  @Test
  @DisplayName("the sandbox directives are set: read-only system, private tmp and devices, no capabilities, a syscall filter")
  void sandbox() {
    assertAll(
        () -> assertEquals("strict", value("ProtectSystem")),
        () -> assertEquals("yes", value("ProtectHome")),
        () -> assertEquals("yes", value("PrivateTmp")),
        () -> assertEquals("yes", value("PrivateDevices")),
        () -> assertEquals("yes", value("NoNewPrivileges")),
        () -> assertEquals("", value("CapabilityBoundingSet")),
        () -> assertEquals("AF_INET AF_INET6 AF_UNIX", value("RestrictAddressFamilies")),
        () -> assertTrue(service.get("SystemCallFilter").contains("@system-service")),
        () -> assertEquals("/var/lib/keepcluster", value("ReadWritePaths")),
        () -> assertTrue(value("ExecStart").contains("--config-dir /var/lib/keepcluster/"), "config dir is writable"),
        () -> assertEquals("0077", value("UMask")));
  }

  @Test
  @DisplayName("MemoryDenyWriteExecute stays off: the JVM's JIT needs writable executable memory")
  void noMemoryDenyWriteExecute() {
    assertFalse(service.containsKey("MemoryDenyWriteExecute"));
  }

  @Test
  @DisplayName("a dedicated user, restart on failure, exit 143 counted as success, and a stop timeout longer than the drain")
  void lifecycle() {
    int drain = service.getOrDefault("Environment", List.of()).stream()
        .filter(e -> e.startsWith("KEEP_SHUTDOWN_DRAIN_SECONDS=")).map(e -> e.substring(e.indexOf('=') + 1))
        .map(Integer::parseInt).findFirst().orElse(DeployFiles.DEFAULT_DRAIN_SECONDS);
    assertAll(
        () -> assertEquals("keepcluster", value("User")),
        () -> assertEquals("keepcluster", value("Group")),
        () -> assertEquals("on-failure", value("Restart")),
        () -> assertEquals("143", value("SuccessExitStatus")),
        () -> assertTrue(Integer.parseInt(value("TimeoutStopSec")) >= drain + 10, "TimeoutStopSec vs drain " + drain));
  }

  @Test
  @DisplayName("java gets the launchers' default JAVA_OPTS, and the env file can override them")
  void javaOpts() {
    assertAll(
        () -> assertTrue(service.get("Environment").contains("\"JAVA_OPTS=" + DeployFiles.DEFAULT_JAVA_OPTS + "\"")),
        () -> assertTrue(value("ExecStart").startsWith("/usr/bin/java $JAVA_OPTS -jar ")),
        () -> assertTrue(value("EnvironmentFile").startsWith("-/etc/keepcluster/")));
  }
}
