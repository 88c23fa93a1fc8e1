package io.keepcluster.node.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's sign-in, session cookie and CSRF rules, with a real HTTP client against an in-JVM node. */
class ConsoleSessionTest {

  private static final String CONSOLE = "X-KeepCluster-Console";

  @TempDir
  Path dir;

  private TestNode node;

  @BeforeEach
  void start() {
    String hash = TestNode.HASHER.hash("ops-pw".toCharArray());
    node = TestNode.in(dir).alice().overlay("management.json", new JsonObject()
        .put("managementAccounts", new JsonObject().put("ops", new JsonObject().put("passwordHash", hash))))
        .start();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private record Signed(String cookie, String csrf, String setCookie) {}

  private HttpResponse<String> signIn(String name, String password, String... headers) {
    return TestNode.post(node.management("/console/api/login"),
        new JsonObject().put("username", name).put("password", password).encode(), headers);
  }

  private Signed signedIn() {
    HttpResponse<String> reply = signIn("ops", "ops-pw");
    assertEquals(200, reply.statusCode(), reply.body());
    String setCookie = sessionCookie(reply).orElseThrow();
    return new Signed(setCookie.substring(0, setCookie.indexOf(';')), new JsonObject(reply.body()).getString("csrf"),
        setCookie);
  }

  private static Optional<String> sessionCookie(HttpResponse<String> reply) {
    return reply.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(ConsoleSession.COOKIE + "=")).findFirst();
  }

  @Test
  @DisplayName("signing in answers a CSRF token and an HttpOnly, SameSite=Strict session cookie")
  void cookieFlags() {
    Signed signed = signedIn();

    String flags = signed.setCookie().toLowerCase(Locale.ROOT);
    assertTrue(flags.contains("httponly"), signed.setCookie());
    assertTrue(flags.contains("samesite=strict"), signed.setCookie());
    assertTrue(signed.csrf().length() >= 40, signed.csrf());
  }

  @Test
  @DisplayName("the session cookie reads the API without a CSRF token")
  void cookieReads() {
    Signed signed = signedIn();

    HttpResponse<String> reply = TestNode.get(node.management("/api/keysets"), "Cookie", signed.cookie());

    assertEquals(200, reply.statusCode(), reply.body());
    assertEquals("no-store", reply.headers().firstValue("Cache-Control").orElse(""));
  }

  @Test
  @DisplayName("a state change with the session cookie but no CSRF token is refused with 403")
  void noCsrfRefused() {
    Signed signed = signedIn();

    HttpResponse<String> reply = TestNode.post(node.management("/api/keysets/nothing/retire"), "",
        "Cookie", signed.cookie());

    assertEquals(403, reply.statusCode(), reply.body());
    assertEquals("Missing or wrong CSRF token", new JsonObject(reply.body()).getString("message"));
  }

  @Test
  @DisplayName("a state change with the session cookie and another session's CSRF token is refused with 403")
  void wrongCsrfRefused() {
    Signed signed = signedIn();
    Signed other = signedIn();

    HttpResponse<String> reply = TestNode.post(node.management("/api/keysets/nothing/retire"), "",
        "Cookie", signed.cookie(), "X-CSRF-Token", other.csrf());

    assertEquals(403, reply.statusCode(), reply.body());
  }

  @Test
  @DisplayName("a state change with the session cookie and its CSRF token goes through")
  void csrfAccepted() {
    Signed signed = signedIn();

    HttpResponse<String> reply = TestNode.post(node.management("/api/idp-certificates"),
        new JsonObject().put("name", "ConsoleEc").put("algorithm", "EC").encode(),
        "Cookie", signed.cookie(), "X-CSRF-Token", signed.csrf());

    assertEquals(201, reply.statusCode(), reply.body());
  }

  @Test
  @DisplayName("HTTP Basic needs no CSRF token and creates no session")
  void basicWithoutCsrf() {
    HttpResponse<String> reply = TestNode.post(node.management("/api/keysets/nothing/retire"), "",
        "Authorization", TestNode.basic("ops", "ops-pw"));

    assertEquals(404, reply.statusCode(), reply.body());
    assertTrue(sessionCookie(reply).isEmpty(), reply.headers().toString());
  }

  @Test
  @DisplayName("signing in replaces a session id the browser already had (no session fixation)")
  void noFixation() {
    Signed first = signedIn();

    HttpResponse<String> again = signIn("ops", "ops-pw", "Cookie", first.cookie());

    assertEquals(200, again.statusCode(), again.body());
    String next = sessionCookie(again).orElseThrow();
    assertNotEquals(first.cookie(), next.substring(0, next.indexOf(';')));
    assertEquals(401, TestNode.get(node.management("/api/keysets"), "Cookie", first.cookie(), CONSOLE, "1")
        .statusCode());
  }

  @Test
  @DisplayName("after sign-out the cookie opens nothing")
  void signOut() {
    Signed signed = signedIn();

    HttpResponse<String> out = TestNode.post(node.management("/console/api/logout"), "",
        "Cookie", signed.cookie(), "X-CSRF-Token", signed.csrf());

    assertEquals(204, out.statusCode(), out.body());
    assertEquals(401, TestNode.get(node.management("/api/keysets"), "Cookie", signed.cookie(), CONSOLE, "1")
        .statusCode());
  }

  @Test
  @DisplayName("sign-out without the CSRF token is refused, and the session stays")
  void signOutNeedsCsrf() {
    Signed signed = signedIn();

    assertEquals(403, TestNode.post(node.management("/console/api/logout"), "", "Cookie", signed.cookie())
        .statusCode());
    assertEquals(200, TestNode.get(node.management("/api/keysets"), "Cookie", signed.cookie()).statusCode());
  }

  @Test
  @DisplayName("the console's own calls get 401 without a Basic challenge, so the browser shows no password dialog")
  void noChallengeForConsole() {
    HttpResponse<String> reply = TestNode.get(node.management("/api/keysets"), CONSOLE, "1");

    assertEquals(401, reply.statusCode());
    assertTrue(reply.headers().firstValue("WWW-Authenticate").isEmpty());
  }

  @Test
  @DisplayName("a wrong password says so; after 5 failures the account is locked, even for the right password")
  void lockout() {
    HttpResponse<String> wrong = signIn("ops", "nope");
    assertEquals(401, wrong.statusCode());
    assertEquals(ConsoleLoginHandler.WRONG, new JsonObject(wrong.body()).getString("message"));
    for (int i = 2; i <= 5; i++) {
      signIn("ops", "nope-" + i);
    }

    HttpResponse<String> right = signIn("ops", "ops-pw");

    assertEquals(401, right.statusCode(), right.body());
    assertEquals(ConsoleLoginHandler.LOCKED, new JsonObject(right.body()).getString("message"));
    assertTrue(sessionCookie(right).isEmpty());
    assertEquals(401, TestNode.get(node.management("/api/node"), "Authorization", TestNode.basic("ops", "ops-pw"))
        .statusCode(), "the same lockout as HTTP Basic");
  }

  @Test
  @DisplayName("the console page is served with a CSP without unsafe-inline, frame-ancestors 'none' and nosniff")
  void securityHeaders() {
    HttpResponse<String> page = TestNode.get(node.management("/console/"));

    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("Create IdP Certificate"));
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
    assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertFalse(page.body().contains("style=\""), "no inline style attribute");
    assertFalse(page.body().contains("<script>"), "no inline script");
  }

  @Test
  @DisplayName("/api/config names each value's file and masks the management password hashes")
  void configSources() {
    HttpResponse<String> reply = TestNode.get(node.management("/api/config"),
        "Authorization", TestNode.basic("ops", "ops-pw"));

    assertEquals(200, reply.statusCode(), reply.body());
    assertFalse(reply.body().contains("argon2"), reply.body());
    JsonObject hash = new JsonObject(reply.body()).getJsonArray("entries").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("key").equals("managementAccounts.ops.passwordHash")).findFirst().orElseThrow();
    assertEquals("management.json", hash.getString("source"));
    assertEquals(ConfigSources.MASK, hash.getString("value"));
    assertNotNull(new JsonObject(reply.body()).getJsonArray("entries").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("source").equals("defaults")).findFirst().orElse(null));
  }

  @Test
  @DisplayName("the name rule served to the page is the server's rule and message")
  void nameRule() {
    JsonObject rule = new JsonObject(TestNode.get(node.management("/api/idp-certificates/name-rule"),
        "Authorization", TestNode.basic("ops", "ops-pw")).body());
    HttpResponse<String> refused = TestNode.post(node.management("/api/idp-certificates"),
        new JsonObject().put("name", "bad name").put("algorithm", "EC").encode(),
        "Authorization", TestNode.basic("ops", "ops-pw"));

    assertEquals(400, refused.statusCode());
    assertTrue(new JsonObject(refused.body()).getString("details").startsWith(rule.getString("message")),
        refused.body());
  }
}
