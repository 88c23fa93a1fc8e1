package io.keepcluster.shared.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeysetDescriptorTest {

  private static final String DRAPI = """
            {"JwtUsePubPrivKey": true, "JwtUsePemFile": true, "JwtIssuer": "CN=Domino/O=Acme",
             "JwtPrivateKeyFile": "keepconfig.d/k1.private.key.pem",
             "JwtPublicKeyFile": "keepconfig.d/k1.public.key.pem",
             "JwtCertFile": "keepconfig.d/k1.cert.pem", "JwtAlgorithm": "RSA"}""";

  @Test
  @DisplayName("a DRAPI descriptor is parsed with its name from the file name")
  void parsesDrapiDescriptor() throws Exception {
    KeysetDescriptor d = KeysetDescriptor.parse("k1.json", DRAPI).orElseThrow();
    assertEquals(KeysetName.of("k1"), d.name());
    assertEquals("CN=Domino/O=Acme", d.issuer());
    assertEquals("keepconfig.d/k1.private.key.pem", d.privateKeyFile());
    assertEquals("keepconfig.d/k1.public.key.pem", d.publicKeyFile());
    assertEquals("keepconfig.d/k1.cert.pem", d.certFile());
    assertEquals(Optional.of("RSA"), d.algorithmFamily());
    assertEquals(Optional.empty(), d.jwsAlgorithm());
    assertTrue(d.active());
  }

  @Test
  @DisplayName("defaults: issuer CN=KeepCluster/F=NAME, active, no JWS algorithm, no cert")
  void defaults() throws Exception {
    KeysetDescriptor d = KeysetDescriptor.parse("k2.json",
        "{\"JwtUsePubPrivKey\": true, \"JwtPrivateKeyFile\": \"k2.pem\"}").orElseThrow();
    assertEquals("CN=KeepCluster/F=k2", d.issuer());
    assertTrue(d.active());
    assertNull(d.certFile());
    assertTrue(d.algorithmFamily().isEmpty());
  }

  @Test
  @DisplayName("the extensions active and JwsAlgorithm are read")
  void extensions() throws Exception {
    KeysetDescriptor d = KeysetDescriptor.parse("k3.json",
        "{\"JwtUsePubPrivKey\": true, \"active\": false, \"JwsAlgorithm\": \"PS256\"}").orElseThrow();
    assertFalse(d.active());
    assertEquals(Optional.of("PS256"), d.jwsAlgorithm());
  }

  @Test
  @DisplayName("JSON without JwtUsePubPrivKey true is not a keyset descriptor")
  void notADescriptor() throws Exception {
    assertTrue(KeysetDescriptor.parse("config.json", "{\"PORT\": 8880}").isEmpty());
    assertTrue(KeysetDescriptor.parse("x.json", "{\"JwtUsePubPrivKey\": false}").isEmpty());
    assertTrue(KeysetDescriptor.parse("list.json", "[1, 2]").isEmpty());
  }

  @Test
  @DisplayName("invalid JSON is refused with the file name and the parser's reason")
  void invalidJson() {
    KeysetLoadException e = assertThrows(KeysetLoadException.class,
        () -> KeysetDescriptor.parse("broken.json", "{\"JwtUsePubPrivKey\": true,"));
    assertEquals("broken.json", e.fileName());
    assertTrue(e.reason().startsWith("invalid JSON"), e.reason());
    assertTrue(e.getMessage().startsWith("broken.json: invalid JSON"), e.getMessage());
  }

  @Test
  @DisplayName("a descriptor whose file name is not a valid keyset NAME is refused")
  void invalidName() {
    KeysetLoadException e = assertThrows(KeysetLoadException.class,
        () -> KeysetDescriptor.parse("my key.json", "{\"JwtUsePubPrivKey\": true}"));
    assertTrue(e.reason().contains("1-64 characters"), e.reason());
  }

  @Test
  @DisplayName("a JwtAlgorithm other than RSA or EC is refused")
  void invalidAlgorithm() {
    KeysetLoadException e = assertThrows(KeysetLoadException.class,
        () -> KeysetDescriptor.parse("k.json", "{\"JwtUsePubPrivKey\": true, \"JwtAlgorithm\": \"HS256\"}"));
    assertTrue(e.reason().contains("JwtAlgorithm must be RSA or EC"), e.reason());
  }

  @Test
  @DisplayName("a field of the wrong type is refused naming the field")
  void wrongType() {
    KeysetLoadException e = assertThrows(KeysetLoadException.class,
        () -> KeysetDescriptor.parse("k.json", "{\"JwtUsePubPrivKey\": true, \"active\": \"no\"}"));
    assertTrue(e.reason().contains("active must be true or false"), e.reason());
  }
}
