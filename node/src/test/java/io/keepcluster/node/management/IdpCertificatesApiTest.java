package io.keepcluster.node.management;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.keys.KeysetTestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("management API: POST /api/idp-certificates")
class IdpCertificatesApiTest {

  @TempDir Path dir;
  private KeysetTestNode node;

  @BeforeEach
  void startNode() throws Exception {
    node = KeysetTestNode.start(dir);
  }

  @AfterEach
  void stopNode() throws Exception {
    node.close();
  }

  private static List<String> fourFiles(String name) {
    return List.of(name + ".cert.pem", name + ".json", name + ".private.key.pem", name + ".public.key.pem");
  }

  private Set<String> visibleFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return Set.copyOf(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList());
    }
  }

  @Test
  @DisplayName("creating an RSA 3072 keyset answers 201 with its kid and four files, private key 0600, loaded at once")
  void createsRsaKeyset() throws Exception {
    HttpResponse<String> response = node.createIdpCertificate(
        new JsonObject().put("name", "C").put("algorithm", "RSA").put("keySize", 3072));
    assertEquals(201, response.statusCode(), response.body());
    JsonObject body = new JsonObject(response.body());
    assertEquals("C", body.getString("kid"));
    JsonArray files = body.getJsonArray("files");
    assertEquals(Set.copyOf(fourFiles("C")), Set.copyOf(files.getList()));
    for (String file : fourFiles("C")) {
      assertTrue(Files.isRegularFile(dir.resolve(file)), file);
    }
    assertEquals(PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(dir.resolve("C.private.key.pem")));
    // The handler answers once the node has loaded the keyset: no waiting needed.
    assertEquals("signing", node.stateOf("C"));
    assertEquals("RS256", node.keysetState("C").orElseThrow().getString("alg"));
  }

  @Test
  @DisplayName("creating an existing NAME answers 409 and leaves its files byte for byte unchanged")
  void existingNameIsRefused() throws Exception {
    JsonObject request = new JsonObject().put("name", "C").put("algorithm", "RSA");
    assertEquals(201, node.createIdpCertificate(request).statusCode());
    Map<String, byte[]> before = new HashMap<>();
    for (String file : fourFiles("C")) {
      before.put(file, Files.readAllBytes(dir.resolve(file)));
    }

    HttpResponse<String> again = node.createIdpCertificate(
        new JsonObject().put("name", "C").put("algorithm", "EC"));
    assertEquals(409, again.statusCode(), again.body());
    for (String file : fourFiles("C")) {
      assertArrayEquals(before.get(file), Files.readAllBytes(dir.resolve(file)), file);
    }
    assertEquals("RS256", node.keysetState("C").orElseThrow().getString("alg"));
  }

  @ParameterizedTest(name = "name \"{0}\"")
  @ValueSource(strings = {"a b", "a.b", "../x", "ü", "", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  @DisplayName("a NAME outside 1-64 of A-Z a-z 0-9 _ - answers 400 and writes nothing")
  void badNamesAreRefused(String name) throws Exception {
    assertEquals(65, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".length());
    Set<String> before = visibleFiles();
    HttpResponse<String> response = node.createIdpCertificate(
        new JsonObject().put("name", name).put("algorithm", "RSA"));
    assertEquals(400, response.statusCode(), response.body());
    assertEquals(400, new JsonObject(response.body()).getInteger("status"));
    assertEquals(before, visibleFiles());
    assertTrue(Files.notExists(dir.getParent().resolve("x.json")));
  }

  @Test
  @DisplayName("an unknown field answers 400 and writes nothing")
  void unknownFieldIsRefused() throws Exception {
    HttpResponse<String> response = node.createIdpCertificate(
        new JsonObject().put("name", "U").put("algorithm", "RSA").put("colour", "blue"));
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(Files.notExists(dir.resolve("U.json")));
  }

  @Test
  @DisplayName("no credentials answers 401 and writes nothing")
  void noCredentialsIsRefused() throws Exception {
    HttpResponse<String> response = node.managementPost("/api/idp-certificates",
        new JsonObject().put("name", "N").put("algorithm", "RSA").encode(), Optional.empty());
    assertEquals(401, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
    assertTrue(Files.notExists(dir.resolve("N.json")));
  }

  @Test
  @DisplayName("a wrong management password answers 401 and writes nothing")
  void wrongPasswordIsRefused() throws Exception {
    HttpResponse<String> response = node.managementPost("/api/idp-certificates",
        new JsonObject().put("name", "N").put("algorithm", "RSA").encode(), Optional.of("ops:wrong"));
    assertEquals(401, response.statusCode(), response.body());
    assertTrue(Files.notExists(dir.resolve("N.json")));
  }

  @Test
  @DisplayName("an EC P-384 keyset signs ES384 tokens")
  void ecP384IsEs384() throws Exception {
    HttpResponse<String> response = node.createIdpCertificate(
        new JsonObject().put("name", "E").put("algorithm", "EC").put("curve", "P-384"));
    assertEquals(201, response.statusCode(), response.body());
    assertEquals("ES384", new JsonObject(response.body()).getString("alg"));
    assertEquals("ES384", node.keysetState("E").orElseThrow().getString("alg"));
    String bearer = node.bearer();
    assertEquals("ES384", KeysetTestNode.header(bearer).getString("alg"));
    assertEquals("E", KeysetTestNode.kidOf(bearer));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{\"name\":\"R\",\"algorithm\":\"RSA\"}",
      "{\"name\":\"E\",\"algorithm\":\"EC\"}",
      "{\"name\":\"F\",\"algorithm\":\"EC\",\"curve\":\"P-521\"}"})
  @DisplayName("openssl accepts the certificate and checks the private key of a generated keyset")
  void opensslAcceptsGeneratedFiles(String request) throws Exception {
    Assumptions.assumeTrue(KeysetTestNode.opensslAvailable(), "needs /usr/bin/openssl");
    HttpResponse<String> response = node.createIdpCertificate(new JsonObject(request));
    assertEquals(201, response.statusCode(), response.body());
    String name = new JsonObject(response.body()).getString("kid");
    assertEquals(0, KeysetTestNode.openssl(dir, "x509", "-in", name + ".cert.pem", "-noout"));
    assertEquals(0, KeysetTestNode.openssl(dir, "pkey", "-in", name + ".private.key.pem", "-check", "-noout"));
    assertEquals(0, KeysetTestNode.openssl(dir, "pkey", "-pubin", "-in", name + ".public.key.pem", "-noout"));
  }
}
