package io.keepcluster.shared.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeysetRoundTripTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:15:30.789Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  private final KeysetGenerator generator = new KeysetGenerator();
  private final KeysetLoader loader = new KeysetLoader();

  private Keyset generateWriteLoad(String name, KeyAlgorithmSpec spec) throws Exception {
    generator.generate(KeysetName.of(name), spec, CLOCK).writeTo(dir);
    String json = Files.readString(dir.resolve(name + ".json"));
    return loader.load(dir, KeysetDescriptor.parse(name + ".json", json).orElseThrow());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"RSA,2048,,RS256", "RSA,3072,,RS256", "EC,,P-256,ES256", "EC,,P-384,ES384", "EC,,P-521,ES512"})
  @DisplayName("a generated keyset written to disk loads back and signs with the derived JWS algorithm")
  void roundTrip(String algorithm, Integer bits, String curve, String jws) throws Exception {
    Keyset keyset = generateWriteLoad("k1", KeyAlgorithmSpec.parse(algorithm, bits, curve));

    assertEquals("k1", keyset.kid());
    assertEquals(jws, keyset.jwsAlgorithm());
    assertEquals("CN=KeepCluster/F=k1", keyset.issuer());
    assertTrue(keyset.active());
    assertTrue(keyset.certificate().isPresent());
    String sigAlg = algorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    Signature signer = Signature.getInstance(sigAlg);
    signer.initSign(keyset.signingKey().privateKey());
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(sigAlg);
    verifier.initVerify(keyset.verificationKey().publicKey());
    verifier.update(new byte[] {1, 2, 3});
    assertTrue(verifier.verify(signature));
  }

  @Test
  @DisplayName("the certificate's notBefore is the clock's instant truncated to seconds, valid 10 years")
  void certificateValidity() throws Exception {
    Keyset keyset = generateWriteLoad("k1", KeyAlgorithmSpec.ec("P-256"));
    assertEquals(Instant.parse("2025-03-01T10:15:30Z"), keyset.notBefore());
    assertEquals(Instant.parse("2035-03-01T10:15:30Z"), keyset.certificate().orElseThrow().getNotAfter().toInstant());
    assertEquals(keyset.verificationKey().publicKey(), keyset.certificate().orElseThrow().getPublicKey());
  }

  @Test
  @DisplayName("the fingerprint is stable across loads and differs between key pairs")
  void fingerprintStable() throws Exception {
    Keyset first = generateWriteLoad("k1", KeyAlgorithmSpec.ec("P-256"));
    Keyset again = loader.load(first.files());
    Keyset other = generateWriteLoad("k2", KeyAlgorithmSpec.ec("P-256"));
    assertEquals(64, first.fingerprint().length());
    assertEquals(first.fingerprint(), again.fingerprint());
    assertFalse(first.fingerprint().equals(other.fingerprint()));
  }

  @Test
  @DisplayName("the descriptor is DRAPI's format with every DRAPI key")
  void descriptorIsDrapiFormat() throws Exception {
    generator.generate(KeysetName.of("idp1"), KeyAlgorithmSpec.ec("P-384"), CLOCK).writeTo(dir);
    JsonObject json = new JsonObject(Files.readString(dir.resolve("idp1.json")));
    assertEquals(true, json.getValue("JwtUsePubPrivKey"));
    assertEquals(true, json.getValue("JwtUsePemFile"));
    assertEquals("CN=KeepCluster/F=idp1", json.getString("JwtIssuer"));
    assertEquals("keepconfig.d/idp1.private.key.pem", json.getString("JwtPrivateKeyFile"));
    assertEquals("keepconfig.d/idp1.public.key.pem", json.getString("JwtPublicKeyFile"));
    assertEquals("keepconfig.d/idp1.cert.pem", json.getString("JwtCertFile"));
    assertEquals("EC", json.getString("JwtAlgorithm"));
    assertEquals(7, json.size());
  }

  @Test
  @DisplayName("the PEM files are PKCS#8, SubjectPublicKeyInfo and an X.509 certificate")
  void pemFormats() throws Exception {
    KeysetFiles files = generator.generate(KeysetName.of("k1"), KeyAlgorithmSpec.rsa(2048), CLOCK);
    assertTrue(files.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertTrue(files.publicKeyPem().startsWith("-----BEGIN PUBLIC KEY-----\n"));
    assertTrue(files.certificatePem().startsWith("-----BEGIN CERTIFICATE-----\n"));
  }

  @Test
  @DisplayName("a keyset replicated in memory loads to the same key on another node")
  void replicatesThroughFiles(@TempDir Path otherNode) throws Exception {
    Keyset original = generateWriteLoad("k1", KeyAlgorithmSpec.rsa(2048));
    original.files().writeTo(otherNode);
    String json = Files.readString(otherNode.resolve("k1.json"));
    Keyset replica = loader.load(otherNode, KeysetDescriptor.parse("k1.json", json).orElseThrow());
    assertEquals(original.fingerprint(), replica.fingerprint());
    assertEquals(original.jwsAlgorithm(), replica.jwsAlgorithm());
  }

  @Test
  @DisplayName("paths resolve by file name inside the directory, whatever directory DRAPI wrote")
  void resolvesByFileName() throws Exception {
    generator.generate(KeysetName.of("k1"), KeyAlgorithmSpec.ec("P-256"), CLOCK).writeTo(dir);
    String json = "{\"JwtUsePubPrivKey\": true,"
        + " \"JwtPrivateKeyFile\": \"/opt/hcl/domino/notesdata/keepconfig.d/k1.private.key.pem\","
        + " \"JwtPublicKeyFile\": \"elsewhere/k1.public.key.pem\"}";
    Keyset keyset = loader.load(dir, KeysetDescriptor.parse("k1.json", json).orElseThrow());
    assertEquals("ES256", keyset.jwsAlgorithm());
    assertEquals(Optional.empty(), keyset.certificate());
    assertEquals(Instant.EPOCH, keyset.notBefore());
  }

  @Test
  @DisplayName("a descriptor's JwsAlgorithm PS256 is used for an RSA key")
  void honoursJwsAlgorithm() throws Exception {
    KeysetFiles files = generator.generate(KeysetName.of("k1"), KeyAlgorithmSpec.rsa(2048), CLOCK);
    JsonObject json = new JsonObject(files.descriptorJson()).put("JwsAlgorithm", "PS256").put("active", false);
    Keyset keyset = loader.load(new KeysetFiles(files.name(), json.encode(), files.certificatePem(),
        files.privateKeyPem(), files.publicKeyPem()));
    assertEquals("PS256", keyset.jwsAlgorithm());
    assertEquals("PS256", keyset.signingKey().jwsAlgorithm());
    assertFalse(keyset.active());
  }

  @Test
  @DisplayName("a descriptor without a public key file loads with the public key derived from the private key")
  void derivesMissingPublicKey() throws Exception {
    KeysetFiles files = generator.generate(KeysetName.of("k1"), KeyAlgorithmSpec.ec("P-521"), CLOCK);
    Files.writeString(dir.resolve("k1.private.key.pem"), files.privateKeyPem());
    Keyset keyset = loader.load(dir, ExternalTools.writeDescriptor(dir, "k1", "k1.private.key.pem", null, null, "EC"));
    assertEquals(PemKeys.parsePublicKey(files.publicKeyPem()), keyset.verificationKey().publicKey());
    assertEquals(files.publicKeyPem(), keyset.files().publicKeyPem());
  }

  @Test
  @DisplayName("no toString shows private key material")
  void toStringRedacts() throws Exception {
    Keyset keyset = generateWriteLoad("k1", KeyAlgorithmSpec.rsa(2048));
    String body = keyset.files().privateKeyPem().lines().skip(1).findFirst().orElseThrow();
    for (Object o : new Object[] {keyset, keyset.files(), keyset.signingKey(), keyset.verificationKey()}) {
      assertFalse(o.toString().contains(body), o.getClass().getSimpleName());
      assertFalse(o.toString().contains("PRIVATE KEY"), o.getClass().getSimpleName());
    }
    assertTrue(keyset.signingKey().toString().contains("redacted"));
  }
}
