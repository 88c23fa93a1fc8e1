package io.keepcluster.node.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepcluster.node.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/keysets/{kid}/retire} with HTTP Basic, on an in-JVM node. */
class RetireApiTest {

  @TempDir
  Path dir;

  private TestNode node;
  private String basic;

  @BeforeEach
  void start() {
    String hash = TestNode.HASHER.hash("ops-pw".toCharArray());
    node = TestNode.in(dir).alice().overlay("management.json", new JsonObject()
        .put("managementAccounts", new JsonObject().put("ops", new JsonObject().put("passwordHash", hash))))
        .start();
    basic = TestNode.basic("ops", "ops-pw");
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private JsonObject keysets() {
    return new JsonObject(TestNode.get(node.management("/api/keysets"), "Authorization", basic).body());
  }

  @Test
  @DisplayName("retire stops the keyset signing at once, keeps it verifying, and a second retire answers 404")
  void retire() {
    HttpResponse<String> created = TestNode.post(node.management("/api/idp-certificates"),
        new JsonObject().put("name", "ToRetire").put("algorithm", "EC").encode(), "Authorization", basic);
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("ToRetire", keysets().getString("signing"));

    HttpResponse<String> retired = TestNode.post(node.management("/api/keysets/ToRetire/retire"), "",
        "Authorization", basic);

    assertEquals(200, retired.statusCode(), retired.body());
    JsonObject after = keysets();
    assertEquals(node.ephemeralKid(), after.getString("signing"));
    JsonArray list = after.getJsonArray("keysets");
    assertEquals("retiring", list.getJsonObject(0).getString("state"), list.encode());
    assertEquals(404, TestNode.post(node.management("/api/keysets/ToRetire/retire"), "", "Authorization", basic)
        .statusCode());
  }
}
