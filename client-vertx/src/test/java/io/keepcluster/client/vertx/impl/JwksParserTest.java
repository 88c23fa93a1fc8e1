package io.keepcluster.client.vertx.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JwksParserTest {

  @Test
  @DisplayName("usable keys are kept by kid with their algorithm; unusable ones are skipped, not fatal")
  void skipsUnusableKeys() throws Exception {
    RSAKey good = new RSAKeyGenerator(2048).keyID("good").algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate();
    ECKey goodEc = new ECKeyGenerator(Curve.P_384).keyID("ec").algorithm(JWSAlgorithm.ES384).generate();
    ECKey wrongCurve = new ECKeyGenerator(Curve.P_256).keyID("curve").algorithm(JWSAlgorithm.ES512).generate();
    RSAKey noAlg = new RSAKeyGenerator(2048).keyID("no-alg").generate();
    RSAKey small = new RSAKeyGenerator(1024, true).keyID("small").algorithm(JWSAlgorithm.RS256).generate();
    RSAKey rs512 = new RSAKeyGenerator(2048).keyID("rs512").algorithm(JWSAlgorithm.RS512).generate();
    RSAKey encryption = new RSAKeyGenerator(2048).keyID("enc").algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.ENCRYPTION).generate();
    OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID("hmac").algorithm(JWSAlgorithm.HS256).generate();
    JsonArray keys = new JsonArray()
        .add(json(good.toPublicJWK().toJSONObject()))
        .add(json(goodEc.toPublicJWK().toJSONObject()))
        .add(json(wrongCurve.toPublicJWK().toJSONObject()))
        .add(json(noAlg.toPublicJWK().toJSONObject()))
        .add(json(small.toPublicJWK().toJSONObject()))
        .add(json(rs512.toPublicJWK().toJSONObject()))
        .add(json(encryption.toPublicJWK().toJSONObject()))
        .add(json(secret.toJSONObject()))
        .add(json(new RSAKeyGenerator(2048).keyID("private").algorithm(JWSAlgorithm.RS256).generate().toJSONObject()))
        .add(new JsonObject().put("kty", "OKP").put("kid", "future").put("alg", "EdDSA"));
    Map<String, VerificationKey> parsed = JwksParser.parse(new JsonObject().put("keys", keys).encode());
    assertEquals(List.of("good", "ec"), List.copyOf(parsed.keySet()));
    assertEquals(JWSAlgorithm.RS256, parsed.get("good").algorithm());
    assertEquals(JWSAlgorithm.ES384, parsed.get("ec").algorithm());
  }

  @Test
  @DisplayName("a document that is not a JWKS, or publishes a kid twice, is refused whole")
  void refusesBrokenDocuments() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k").algorithm(JWSAlgorithm.RS256).generate();
    JsonObject publicKey = json(key.toPublicJWK().toJSONObject());
    for (String document : List.of("<html>", "[]", "{}", "{\"keys\":{}}", "{\"keys\":[1]}",
        new JsonObject().put("keys", new JsonArray().add(publicKey).add(publicKey)).encode())) {
      assertThrows(JwksParser.InvalidJwksException.class, () -> JwksParser.parse(document), document);
    }
  }

  @Test
  @DisplayName("an empty keys array is a valid, empty key set")
  void emptyIsValid() throws Exception {
    assertEquals(Map.of(), JwksParser.parse("{\"keys\":[]}"));
  }

  private static JsonObject json(Map<String, Object> map) {
    return new JsonObject(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(map));
  }
}
