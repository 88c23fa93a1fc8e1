package io.keepcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.password.PasswordHashingParameters;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password typed into the username field must never reach the log. The node logs through
 * slf4j-simple to {@code System.err}, looked up at each line, so the test captures that stream.
 */
class LoginLogLeakTest {

  private static final String PASSWORD_AS_USERNAME = "Tr0ub4dor&3-correct-horse";

  @TempDir Path dir;
  private TestNode node;
  private PrintStream originalErr;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @BeforeEach
  void startCapturingNode() {
    PasswordHasher hasher = new PasswordHasher(PasswordHashingParameters.forTests());
    node = TestNode.in(dir).alice()
        .overlay("management.json", new JsonObject().put("managementAccounts", new JsonObject()
            .put("ops", new JsonObject().put("passwordHash", hasher.hash("ops-pw".toCharArray())))))
        .start();
    originalErr = System.err;
    System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    System.setErr(originalErr);
    node.close();
  }

  private String log() {
    System.err.flush();
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("a login with an unknown username that looks like a password logs only a fingerprint of it")
  void unknownUsernameIsNotLogged() {
    assertEquals(401, node.login(PASSWORD_AS_USERNAME, "alice-pw").statusCode());
    assertEquals(401, node.login(PASSWORD_AS_USERNAME, "alice-pw").statusCode());

    String log = log();
    assertFalse(log.contains("Tr0ub4dor"), log);
    assertTrue(log.contains("event=login_failed user=<unknown:"), log);
    String first = log.substring(log.indexOf("<unknown:"));
    String fingerprint = first.substring(0, first.indexOf('>') + 1);
    assertEquals(2, log.split(java.util.regex.Pattern.quote(fingerprint), -1).length - 1,
        "the same text gives the same fingerprint, so attempts can be correlated: " + log);
  }

  @Test
  @DisplayName("a known username with a wrong password is logged by name")
  void knownUsernameIsLogged() {
    assertEquals(401, node.login("alice", "wrong").statusCode());

    assertTrue(log().contains("event=login_failed user=alice reason=wrong_password"), log());
  }

  @Test
  @DisplayName("an unknown management account name in HTTP Basic is not logged either")
  void unknownManagementAccountIsNotLogged() {
    assertEquals(401, TestNode.get(node.management("/api/idp-certificates"),
        "Authorization", TestNode.basic(PASSWORD_AS_USERNAME, "x")).statusCode());

    String log = log();
    assertFalse(log.contains("Tr0ub4dor"), log);
    assertTrue(log.contains("event=management_login_failed account=<unknown:"), log);
  }

  @Test
  @DisplayName("a refused bearer token is logged with its reason and kid, never the token itself")
  void refusedTokenIsNotLogged() {
    String token = node.bearer("alice", "alice-pw");
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";

    assertEquals(401, node.userinfo(forged).statusCode());

    String log = log();
    assertTrue(log.contains("event=token_rejected reason=bad_signature kid=" + node.ephemeralKid()), log);
    assertFalse(log.contains(token.substring(0, token.lastIndexOf('.'))), log);
  }

  /** Writes to the real stream and to the capture. */
  private static final class Tee extends OutputStream {
    private final PrintStream console;
    private final ByteArrayOutputStream capture;

    Tee(PrintStream console, ByteArrayOutputStream capture) {
      this.console = console;
      this.capture = capture;
    }

    @Override
    public synchronized void write(int c) {
      console.write(c);
      capture.write(c);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) {
      console.write(bytes, off, len);
      capture.write(bytes, off, len);
    }
  }
}
