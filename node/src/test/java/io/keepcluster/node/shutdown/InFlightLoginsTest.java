package io.keepcluster.node.shutdown;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.TestNode;
import io.keepcluster.shared.password.PasswordHasher;
import io.keepcluster.shared.password.PasswordHashingParameters;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("logins in progress when a node stops")
class InFlightLoginsTest {

  private static final int LOGINS = 6;

  @TempDir
  Path dir;

  @Test
  @DisplayName("logins queued for the single hashing thread when the listeners close all get a full 200")
  void queuedLoginsFinish() throws Exception {
    // A production-cost hash and one hashing thread, so several logins wait in the queue.
    Files.createDirectories(dir);
    new UserDirectoryFile(dir).upsert(new UserRecord("bob", "CN=Bob/O=Acme", "bob@acme.test", "MAIL",
        new PasswordHasher(PasswordHashingParameters.defaults()).hash("bob-pw".toCharArray())));
    TestNode node = TestNode.in(dir)
        .overlay("login.json", new JsonObject().put("login", new JsonObject().put("hashingThreads", 1).put("maxQueued", 20)))
        .env("KEEP_SHUTDOWN_DRAIN_SECONDS", "0")
        .start();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      List<CompletableFuture<HttpResponse<String>>> logins = new ArrayList<>();
      for (int i = 0; i < LOGINS; i++) {
        logins.add(http.sendAsync(HttpRequest.newBuilder(node.api("/api/v1/auth"))
            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"bob\",\"password\":\"bob-pw\"}")).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      await("logins waiting for the hashing thread").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
          .until(() -> node.counter("keepcluster_hashing_queued", "") >= 2);

      CompletableFuture<Void> stopped = node.node().stop().toCompletionStage().toCompletableFuture();
      for (CompletableFuture<HttpResponse<String>> login : logins) {
        HttpResponse<String> response = login.get(60, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(new JsonObject(response.body()).getString("bearer").length() > 20);
      }
      stopped.get(60, TimeUnit.SECONDS);
      assertTrue(node.node().stopped().get(), "a clean stop");
    } finally {
      node.close();
    }
  }
}
