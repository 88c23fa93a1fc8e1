package io.keepcluster.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The 415 guard in front of the JSON endpoints, on a router of its own. */
@ExtendWith(VertxExtension.class)
class JsonContentTypeTest {

  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    Router router = Router.router(vertx);
    router.post("/json").handler(JsonContentType.required())
        .handler(ctx -> ErrorResponses.sendJson(ctx, 200, new JsonObject().put("ok", true)));
    client = WebClient.create(vertx);
    vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .onComplete(context.succeeding(s -> {
          server = s;
          context.completeNow();
        }));
  }

  @AfterEach
  void stop() {
    client.close();
  }

  @ParameterizedTest(name = "[{0}] answers {1}")
  @CsvSource(nullValues = "NONE", value = {
      "application/json, 200", "application/json; charset=utf-8, 200", "APPLICATION/JSON ;charset=UTF-8, 200",
      "text/plain, 415", "application/jsonx, 415", "application/x-www-form-urlencoded, 415",
      "multipart/form-data; boundary=x, 415", "NONE, 415"})
  @DisplayName("only application/json (with any parameters) passes")
  void contentTypes(String contentType, int expected, VertxTestContext context) {
    HttpRequest<?> request = client.post(server.actualPort(), "127.0.0.1", "/json");
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    request.sendBuffer(io.vertx.core.buffer.Buffer.buffer("{}")).onComplete(context.succeeding(response ->
        context.verify(() -> {
          assertEquals(expected, response.statusCode(), response.bodyAsString());
          if (expected == 415) {
            assertEquals(415, response.bodyAsJsonObject().getInteger("status"));
            assertEquals(JsonContentType.MESSAGE, response.bodyAsJsonObject().getString("message"));
          }
          context.completeNow();
        })));
  }
}
