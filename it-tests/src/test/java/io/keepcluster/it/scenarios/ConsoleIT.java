package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.ConsoleBrowser;
import io.keepcluster.it.harness.NodeLogsOnFailure;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.Waits;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.openqa.selenium.By;

/**
 * Issue 13: the management console in a real headless Chromium, on a two-node cluster of real
 * node processes. The tests run in order: they follow one operator's session.
 */
@DisplayName("Issue 13: the management console, driven in headless Chromium on a two-node cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(NodeLogsOnFailure.class)
// Runs alone: a headless browser per node needs the cores.
@Isolated
class ConsoleIT {

  /** Made with the API before the browser starts: the console's keyset then rolls over from it, with the lead. */
  private static final String FIRST = "ConsoleFirst";
  private static final String KID = "ConsoleEc";
  private static final int LEAD_SECONDS = 4;
  private static final String COOKIE = "keepcluster.console";
  private static final String PROVIDER = "partner";
  private static final String PASSWORD = NodeProcess.managementPassword(ADMIN_PASSWORD);

  private Cluster cluster;
  private ConsoleBrowser console1;
  private ConsoleBrowser console2;

  @BeforeAll
  void start() throws Exception {
    cluster = Cluster.startFormed(getClass().getSimpleName(), 2,
        Map.of("KEEP_ROLLOVER_LEAD_SECONDS", Integer.toString(LEAD_SECONDS)));
    dropStaticProvider(cluster.node(1).configDir());
    assertEquals(201, cluster.node(1).client().createIdpCertificate(FIRST, "RSA").status());
    ClusterWaits.awaitSigning(cluster.nodes(), FIRST, Duration.ofSeconds(30));
    console1 = ConsoleBrowser.open(cluster.node(1));
    console2 = ConsoleBrowser.open(cluster.node(2));
  }

  /** A static-key external provider in node 1's folder, so the Providers and Config pages have one to show. */
  private static void dropStaticProvider(Path dir) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(generator.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    Files.writeString(dir.resolve(PROVIDER + ".pub.pem"), pem);
    Path temp = dir.resolve(".70-partner.json.tmp");
    Files.writeString(temp, new JsonObject().put("jwt", new JsonObject().put(PROVIDER, new JsonObject()
        .put("active", true).put("algorithm", "RS256").put("iss", "https://partner-idp.example")
        .put("kid", "partner-1").put("aud", "api://keep").put("keyFile", PROVIDER + ".pub.pem")))
        .encodePrettily());
    Files.move(temp, dir.resolve("70-partner.json"), StandardCopyOption.ATOMIC_MOVE);
  }

  @AfterAll
  void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {console1, console2, cluster}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        System.err.println("[it] close failed: " + e);
      }
    }
  }

  private static By keysetState(String kid) {
    return By.cssSelector("#keysets-table tr[data-kid='" + kid + "'] td.state");
  }

  @Test
  @Order(1)
  @DisplayName("the operator signs in to node 1's console with the management account")
  void signIn() {
    console1.visible("login-form");
    console1.screenshot("login");
    console1.signIn(ADMIN, PASSWORD);
    console1.awaitSignedIn();
    console1.awaitText(By.id("node-badge"), "node1");
    assertTrue(console1.cookie(COOKIE).isHttpOnly(), "the session cookie is HttpOnly");
  }

  @Test
  @Order(2)
  @DisplayName("a bad certificate name shows the server's name rule where the name is typed")
  void badName() {
    console1.page("home");
    console1.awaitText(By.id("cert-name-hint"), KeysetName.RULE_MESSAGE);
    console1.find(By.id("cert-name")).sendKeys("bad name.pem");
    console1.click(By.id("cert-create"));

    console1.awaitText(By.id("cert-name-error"), KeysetName.RULE_MESSAGE);
    assertTrue(console1.find(By.id("rollout")).getAttribute("hidden") != null, "nothing was created");
  }

  @Test
  @Order(3)
  @DisplayName("creating an EC keyset on node 1 shows node 2 receiving it, when it will sign, and then the keyset signing")
  void createEcKeyset() {
    console1.page("home");
    console1.find(By.id("cert-name")).clear();
    console1.find(By.id("cert-name")).sendKeys(KID);
    console1.find(By.cssSelector("#cert-algorithm option[value='EC']")).click();
    console1.find(By.cssSelector("#cert-size option[value='P-256']")).click();
    console1.click(By.id("cert-create"));

    console1.visible("rollout");
    console1.awaitText(By.cssSelector("#rollout-table tr[data-node='node2'] td.presence"), "yes");
    console1.awaitText(By.id("rollout-state"), "starts signing at");
    console1.screenshot("home");
    console1.awaitText(By.id("rollout-state"), "signs new tokens", Duration.ofSeconds(LEAD_SECONDS + 30));
    assertEquals(KID, cluster.node(1).client().health().signing());
  }

  @Test
  @Order(4)
  @DisplayName("node 2's console lists the keyset as signing, present on both nodes")
  void node2ShowsIt() {
    console2.signIn(ADMIN, PASSWORD);
    console2.awaitSignedIn();
    console2.page("keysets");

    console2.awaitText(keysetState(KID), "signing");
    String nodes = console2.find(By.cssSelector("#keysets-table tr[data-kid='" + KID + "'] td.nodes")).getText();
    assertTrue(nodes.contains("node1") && nodes.contains("node2"), nodes);
    console1.page("keysets");
    console1.awaitText(keysetState(KID), "signing");
    console1.screenshot("keysets");
  }

  @Test
  @Order(5)
  @DisplayName("the other pages load: providers, users, config with its sources, cluster with both members")
  void otherPages() {
    console1.page("providers");
    console1.awaitText(By.cssSelector("#providers-table tr[data-provider='" + PROVIDER + "']"), "partner-1");
    console1.screenshot("providers");

    console1.page("users");
    // The user API is another helper's part: the page shows its table, or its error where it happened.
    Waits.within(Duration.ofSeconds(20), "the users page shows users or the API's error").untilAsserted(() ->
        assertTrue(console1.text("users-table").contains("alice") || console1.text("users-table").contains(ADMIN)
            || !console1.text("users-error").isEmpty(), console1.text("users-table")));
    console1.screenshot("users");

    console1.page("config");
    console1.awaitText(By.id("config-table"), "JwtDuration");
    console1.awaitText(By.id("config-table"), "environment");
    console1.awaitText(By.cssSelector("#config-table tr[data-key='jwt." + PROVIDER + ".kid']"), "70-partner.json");
    String config = console1.text("config-table");
    assertFalse(config.contains(cluster.secret()), "the cluster secret is masked");
    assertFalse(config.contains("argon2"), "no password hash");
    console1.scrollTo(By.cssSelector("#config-table tr[data-key='jwt." + PROVIDER + ".active']"));
    console1.screenshot("config");
    console1.find(By.id("config-filter")).sendKeys("70-partner");
    console1.awaitText(By.id("config-count"), "6 of ");

    console1.page("cluster");
    console1.awaitText(By.id("cluster-table"), "node2");
    console1.awaitText(By.id("cluster-table"), "node1 (this node)");
    String node2Row = console1.find(By.cssSelector("#cluster-table tr[data-member='node2']")).getText();
    assertFalse(node2Row.contains("unknown"), "node 2 states its version and start: " + node2Row);
    console1.screenshot("cluster");

    console1.size(ConsoleBrowser.NARROW);
    console1.page("keysets");
    console1.awaitText(keysetState(KID), "signing");
    console1.screenshot("narrow");
    console1.size(ConsoleBrowser.DESKTOP);
    assertEquals(List.of(), console1.consoleErrors(), "no script error and no CSP refusal on any page");
  }

  @Test
  @Order(6)
  @DisplayName("a POST with the browser's session cookie but without the CSRF token is refused with 403")
  void csrfLessPostRefused() throws IOException, InterruptedException {
    String cookie = console1.cookieHeader(COOKIE);
    HttpClient client = HttpClient.newHttpClient();

    HttpResponse<String> reply = client.send(HttpRequest.newBuilder(
            URI.create(console1.baseUrl() + "/api/keysets/" + KID + "/revoke"))
        .header("Cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(403, reply.statusCode(), reply.body());
    HttpResponse<String> read = client.send(HttpRequest.newBuilder(URI.create(console1.baseUrl() + "/api/keysets"))
        .header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, read.statusCode(), "the same cookie still reads: " + read.body());
    assertEquals(Optional.of("signing"), cluster.node(1).client().health().keysetState(KID));
  }

  @Test
  @Order(7)
  @DisplayName("retiring the keyset from node 1's console, after confirming, shows it retiring on both consoles; the previous keyset signs again")
  void retire() {
    console1.page("keysets");
    console1.click(By.cssSelector("#keysets-table tr[data-kid='" + KID + "'] button[data-action='retire']"));
    console1.visible("confirm");
    console1.click(By.id("confirm-ok"));

    console1.awaitText(By.id("keysets-notice"), "retiring");
    console1.awaitText(keysetState(KID), "retiring");
    console2.awaitText(keysetState(KID), "retiring");
    ClusterWaits.awaitSigning(cluster.nodes(), FIRST, Duration.ofSeconds(15));
    assertEquals(Optional.of("retiring"), cluster.node(2).client().health().keysetState(KID));
  }

  @Test
  @Order(8)
  @DisplayName("revoke asks first: cancelling keeps the keyset; confirming removes it from both consoles")
  void revoke() {
    By revoke = By.cssSelector("#keysets-table tr[data-kid='" + FIRST + "'] button[data-action='revoke']");
    console1.page("keysets");
    console1.click(revoke);
    console1.visible("confirm");
    console1.click(By.id("confirm-cancel"));
    assertEquals(Optional.of("signing"), cluster.node(1).client().health().keysetState(FIRST), "cancelled");

    console1.click(revoke);
    console1.visible("confirm");
    console1.click(By.id("confirm-ok"));

    console1.awaitText(keysetState(FIRST), "revoked");
    Waits.within(Duration.ofSeconds(20), FIRST + " gone from node 2's console").untilAsserted(() ->
        assertFalse(console2.text("keysets-table").contains(FIRST), console2.text("keysets-table")));
  }

  @Test
  @Order(9)
  @DisplayName("five wrong passwords lock the account: the console says so, and then refuses the right password")
  void lockout() {
    console2.click(By.id("logout"));
    console2.visible("login-form");
    for (int i = 1; i <= 5; i++) {
      console2.signIn(ADMIN, "wrong-" + i);
      console2.awaitText(By.id("login-error"), i < 5 ? "Wrong account name or password" : "locked");
    }
    console2.signIn(ADMIN, PASSWORD);
    console2.awaitText(By.id("login-error"), "locked");
    console2.screenshot("locked");
    assertTrue(console2.find(By.id("app")).getAttribute("hidden") != null, "still signed out");
  }
}
