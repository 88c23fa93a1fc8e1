package io.keepcluster.node.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.keepcluster.node.config.ConfigException;
import io.keepcluster.shared.keys.PemKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderConfigParserTest {

  @TempDir
  Path dir;

  private static JsonObject discovery() {
    return new JsonObject().put("providerUrl", "https://idp.example/realms/acme")
        .put("iss", "https://idp.example/realms/acme").put("aud", "api://keep");
  }

  private String error(JsonObject jwt) {
    return assertThrows(ConfigException.class, () -> ProviderConfigParser.parse(dir, jwt)).getMessage();
  }

  @Test
  @DisplayName("a base URL gets /.well-known/openid-configuration; the discovery URL itself is kept")
  void discoveryUrl() throws Exception {
    assertEquals(URI.create("https://idp.example/realms/acme/.well-known/openid-configuration"),
        ProviderConfigParser.discoveryUrl("jwt.x", "https://idp.example/realms/acme/"));
    assertEquals(URI.create("https://idp.example/.well-known/openid-configuration"),
        ProviderConfigParser.discoveryUrl("jwt.x", "https://idp.example/.well-known/openid-configuration"));
  }

  @Test
  @DisplayName("defaults: active, RS256 only, the default identity order; aud may be a list")
  void defaults() throws Exception {
    ProviderConfig config = ProviderConfigParser.parse(dir, new JsonObject()
        .put("kc", discovery().put("aud", new JsonArray().add("a").add("b")))).get(0);

    assertTrue(config.active());
    assertEquals(List.of(JWSAlgorithm.RS256), config.algorithms());
    assertEquals(List.of("a", "b"), config.audiences());
    assertEquals(Optional.empty(), config.userIdentifier());
  }

  @Test
  @DisplayName("HMAC and none are refused for a provider, naming the provider and the key")
  void hmacRefused() {
    String message = error(new JsonObject().put("kc", discovery().put("algorithm", "HS256")));
    assertTrue(message.startsWith("jwt.kc.algorithm HS256 is not allowed"), message);
    assertTrue(error(new JsonObject().put("kc", discovery().put("alg", new JsonArray().add("none"))))
        .startsWith("jwt.kc.alg none"));
  }

  @Test
  @DisplayName("missing iss or aud, both or neither key source, unknown keys and duplicate issuers are refused")
  void refusals() {
    assertTrue(error(new JsonObject().put("kc", discovery().put("aud", (Object) null)))
        .startsWith("jwt.kc.aud is required"));
    assertTrue(error(new JsonObject().put("kc", discovery().put("iss", "")))
        .startsWith("jwt.kc.iss is required"));
    assertTrue(error(new JsonObject().put("kc", discovery().put("keyFile", "k.pem")))
        .startsWith("jwt.kc needs exactly one of providerUrl"));
    assertTrue(error(new JsonObject().put("kc", discovery().put("audience", "x")))
        .startsWith("jwt.kc.audience is not a provider setting"));
    assertTrue(error(new JsonObject().put("a", discovery()).put("b", discovery()))
        .startsWith("jwt.b.iss https://idp.example/realms/acme is already the issuer of jwt.a"));
    assertTrue(error(new JsonObject().put("kc", discovery().put("providerUrl", "ftp://x")))
        .startsWith("jwt.kc.providerUrl must be an absolute http(s) URL"));
  }

  @Test
  @DisplayName("keyFile resolves in the config folder; its key must fit the algorithm")
  void staticKey() throws Exception {
    Files.writeString(dir.resolve("rsa.pem"),
        PemKeys.toPem(new RSAKeyGenerator(2048).generate().toRSAPublicKey()));
    Files.writeString(dir.resolve("ec.pem"),
        PemKeys.toPem(new ECKeyGenerator(Curve.P_256).generate().toECPublicKey()));
    JsonObject rsa = new JsonObject().put("keyFile", "/elsewhere/rsa.pem").put("kid", "k1")
        .put("algorithm", "RS256").put("iss", "https://other").put("aud", "api://keep");

    ProviderConfig config = ProviderConfigParser.parse(dir, new JsonObject().put("st", rsa)).get(0);

    assertEquals("k1", ((ProviderConfig.StaticKey) config.keys()).kid());
    String mismatch = error(new JsonObject().put("st", rsa.copy().put("keyFile", "ec.pem")));
    assertTrue(mismatch.contains("jwt.st.keyFile") && mismatch.contains("verifies ES256, not RS256"), mismatch);
    assertTrue(error(new JsonObject().put("st", rsa.copy().put("keyFile", "missing.pem")))
        .startsWith("jwt.st.keyFile missing.pem not found"));
    assertTrue(error(new JsonObject().put("st", rsa.copy().put("kid", (Object) null)))
        .startsWith("jwt.st.kid is required"));
  }
}
