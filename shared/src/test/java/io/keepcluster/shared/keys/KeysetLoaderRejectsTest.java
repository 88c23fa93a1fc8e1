package io.keepcluster.shared.keys;

import static io.keepcluster.shared.keys.ExternalTools.assumeOpenssl;
import static io.keepcluster.shared.keys.ExternalTools.runOk;
import static io.keepcluster.shared.keys.ExternalTools.writeDescriptor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every broken keyset is refused with a reason that names the file and the rule. */
class KeysetLoaderRejectsTest {

  @TempDir
  Path dir;

  private final KeysetGenerator generator = new KeysetGenerator();
  private final KeysetLoader loader = new KeysetLoader();

  private KeysetFiles generate(String name, KeyAlgorithmSpec spec) {
    return generator.generate(KeysetName.of(name), spec, Clock.systemUTC());
  }

  private KeysetLoadException refuse(KeysetDescriptor descriptor) {
    return assertThrows(KeysetLoadException.class, () -> loader.load(dir, descriptor));
  }

  private KeysetLoadException refuse(KeysetFiles files) {
    return assertThrows(KeysetLoadException.class, () -> loader.load(files));
  }

  @Test
  @DisplayName("a private key with the public key of another pair is refused")
  void mismatchedPair() {
    KeysetFiles a = generate("a", KeyAlgorithmSpec.rsa(2048));
    KeysetFiles b = generate("b", KeyAlgorithmSpec.rsa(2048));
    KeysetLoadException e = refuse(new KeysetFiles(a.name(), a.descriptorJson(), null, a.privateKeyPem(), b.publicKeyPem()));
    assertEquals("private key does not match the public key", e.reason());
    assertEquals("a.public.key.pem", e.fileName());
  }

  @Test
  @DisplayName("an RSA private key with an EC public key is refused")
  void mixedFamilies() {
    KeysetFiles a = generate("a", KeyAlgorithmSpec.rsa(2048));
    KeysetFiles b = generate("b", KeyAlgorithmSpec.ec("P-256"));
    KeysetLoadException e = refuse(new KeysetFiles(a.name(), a.descriptorJson(), null, a.privateKeyPem(), b.publicKeyPem()));
    assertTrue(e.reason().contains("different algorithms"), e.reason());
  }

  @Test
  @DisplayName("a certificate of another key is refused")
  void certificateOfAnotherKey() {
    KeysetFiles a = generate("a", KeyAlgorithmSpec.ec("P-256"));
    KeysetFiles b = generate("b", KeyAlgorithmSpec.ec("P-256"));
    KeysetLoadException e = refuse(new KeysetFiles(a.name(), a.descriptorJson(), b.certificatePem(),
        a.privateKeyPem(), a.publicKeyPem()));
    assertEquals("a.cert.pem", e.fileName());
    assertTrue(e.reason().contains("certificate is for another key"), e.reason());
  }

  @Test
  @DisplayName("a truncated private key PEM is refused as truncated or malformed")
  void truncatedPem() {
    KeysetFiles a = generate("a", KeyAlgorithmSpec.rsa(2048));
    String truncated = a.privateKeyPem().substring(0, a.privateKeyPem().length() / 2);
    KeysetLoadException e = refuse(new KeysetFiles(a.name(), a.descriptorJson(), null, truncated, a.publicKeyPem()));
    assertEquals("truncated or malformed PEM", e.reason());
    assertEquals("a.private.key.pem", e.fileName());
  }

  @Test
  @DisplayName("a PEM whose base64 body is cut short is refused as truncated or malformed")
  void corruptBody() {
    KeysetFiles a = generate("a", KeyAlgorithmSpec.ec("P-256"));
    String[] lines = a.privateKeyPem().split("\n");
    String cut = lines[0] + "\n" + lines[1].substring(0, 20) + "\n" + lines[lines.length - 1] + "\n";
    KeysetLoadException e = refuse(new KeysetFiles(a.name(), a.descriptorJson(), null, cut, a.publicKeyPem()));
    assertEquals("truncated or malformed PEM", e.reason());
  }

  @Test
  @DisplayName("a private key file holding no private key is refused")
  void noPrivateKey() {
    KeysetFiles a = generate("a", KeyAlgorithmSpec.ec("P-256"));
    KeysetLoadException e = refuse(new KeysetFiles(a.name(), a.descriptorJson(), null, a.publicKeyPem(), a.publicKeyPem()));
    assertEquals("no private key found in PEM", e.reason());
  }

  @Test
  @DisplayName("an encrypted private key is refused as not supported")
  void encryptedPrivateKey() throws Exception {
    assumeOpenssl();
    runOk(dir, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-aes-128-cbc", "-pass", "pass:secret", "-out", "k.pem");
    KeysetLoadException e = refuse(writeDescriptor(dir, "enc", "k.pem", null, null, null));
    assertTrue(e.reason().startsWith("encrypted private keys are not supported"), e.reason());
  }

  @Test
  @DisplayName("an RSA key of 1024 bits is refused as too small")
  void rsa1024() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    KeyPair pair = rsa.generateKeyPair();
    Files.writeString(dir.resolve("small.pem"), PemKeys.toPem(pair.getPrivate()));
    KeysetLoadException e = refuse(writeDescriptor(dir, "small", "small.pem", null, null, "RSA"));
    assertEquals("RSA key of 1024 bits is too small; at least 2048 required", e.reason());
    assertEquals("small.pem", e.fileName());
  }

  @Test
  @DisplayName("an EC key on P-192 is refused as a curve that is not allowed")
  void p192() throws Exception {
    assumeOpenssl();
    runOk(dir, "openssl", "ecparam", "-name", "prime192v1", "-genkey", "-noout", "-out", "k.pem");
    KeysetLoadException e = refuse(writeDescriptor(dir, "p192", "k.pem", null, null, null));
    assertTrue(e.reason().matches("EC curve (secp192r1|prime192v1) is not allowed; use P-256, P-384 or P-521"), e.reason());
  }

  @Test
  @DisplayName("an EC key on secp256k1 is refused naming the curve")
  void secp256k1() throws Exception {
    assumeOpenssl();
    runOk(dir, "openssl", "ecparam", "-name", "secp256k1", "-genkey", "-noout", "-out", "k.pem");
    runOk(dir, "openssl", "pkey", "-in", "k.pem", "-pubout", "-out", "k.pub.pem");
    KeysetLoadException e = refuse(writeDescriptor(dir, "k1", "k.pem", "k.pub.pem", null, "EC"));
    assertEquals("EC curve secp256k1 is not allowed; use P-256, P-384 or P-521", e.reason());
  }

  @Test
  @DisplayName("a JwtAlgorithm that contradicts the key is refused")
  void familyMismatch() throws Exception {
    generate("k1", KeyAlgorithmSpec.ec("P-256")).writeTo(dir);
    KeysetLoadException e = refuse(writeDescriptor(dir, "k1", "k1.private.key.pem", "k1.public.key.pem", null, "RSA"));
    assertEquals("k1.json", e.fileName());
    assertEquals("JwtAlgorithm RSA does not match the EC key", e.reason());
  }

  @Test
  @DisplayName("a JwsAlgorithm that does not fit the key is refused")
  void jwsMismatch() {
    KeysetFiles a = generate("a", KeyAlgorithmSpec.ec("P-384"));
    String json = a.descriptorJson().replace("\"JwtAlgorithm\"", "\"JwsAlgorithm\" : \"ES256\", \"JwtAlgorithm\"");
    KeysetLoadException e = refuse(new KeysetFiles(a.name(), json, a.certificatePem(), a.privateKeyPem(), a.publicKeyPem()));
    assertTrue(e.reason().startsWith("JwsAlgorithm ES256 does not fit"), e.reason());
  }

  @Test
  @DisplayName("an invalid JSON descriptor in replicated files is refused with the file name")
  void invalidJson() {
    KeysetFiles a = generate("a", KeyAlgorithmSpec.ec("P-256"));
    KeysetLoadException e = refuse(new KeysetFiles(a.name(), "{\"JwtUsePubPrivKey\": tru", null,
        a.privateKeyPem(), a.publicKeyPem()));
    assertEquals("a.json", e.fileName());
    assertTrue(e.reason().startsWith("invalid JSON"), e.reason());
  }

  @Test
  @DisplayName("a missing key file is refused as missing file NAME")
  void missingFile() throws Exception {
    KeysetLoadException e = refuse(writeDescriptor(dir, "k1", "k1.private.key.pem", null, null, null));
    assertEquals("k1.private.key.pem", e.fileName());
    assertTrue(e.reason().startsWith("missing file k1.private.key.pem"), e.reason());
  }

  @Test
  @DisplayName("a directory in a key file's place is refused as not a regular file")
  void directoryInPlaceOfKeyFile() throws Exception {
    Files.createDirectory(dir.resolve("k1.private.key.pem"));
    KeysetLoadException e = refuse(writeDescriptor(dir, "k1", "k1.private.key.pem", null, null, null));
    assertEquals("k1.private.key.pem", e.fileName());
    assertEquals("not a regular file (directory)", e.reason());
  }

  @Test
  @DisplayName("no refusal message contains key material")
  void messagesCarryNoKeyMaterial() {
    KeysetFiles a = generate("a", KeyAlgorithmSpec.rsa(2048));
    KeysetFiles b = generate("b", KeyAlgorithmSpec.rsa(2048));
    KeysetLoadException e = refuse(new KeysetFiles(a.name(), a.descriptorJson(), null, a.privateKeyPem(), b.publicKeyPem()));
    String body = a.privateKeyPem().lines().skip(1).findFirst().orElseThrow();
    assertFalse(e.getMessage().contains(body));
    assertFalse(e.getMessage().contains("MII"));
  }
}
