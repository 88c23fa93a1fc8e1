package io.keepcluster.shared.keys;

import static io.keepcluster.shared.keys.ExternalTools.assumeOpenssl;
import static io.keepcluster.shared.keys.ExternalTools.assumeSshKeygen;
import static io.keepcluster.shared.keys.ExternalTools.runOk;
import static io.keepcluster.shared.keys.ExternalTools.writeDescriptor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files made by KeepCluster must satisfy openssl, and keys made by DRAPI's documented tools must load. */
class OpenSslInteropTest {

  @TempDir
  Path dir;

  private final KeysetLoader loader = new KeysetLoader();

  @ParameterizedTest
  @ValueSource(strings = {"RSA", "EC"})
  @DisplayName("openssl accepts the generated certificate and private key")
  void opensslAcceptsGeneratedFiles(String algorithm) throws Exception {
    assumeOpenssl();
    new KeysetGenerator().generate(KeysetName.of("k1"), KeyAlgorithmSpec.parse(algorithm, null, null),
        Clock.systemUTC()).writeTo(dir);
    runOk(dir, "openssl", "x509", "-in", "k1.cert.pem", "-noout");
    runOk(dir, "openssl", "pkey", "-in", "k1.private.key.pem", "-check", "-noout");
    runOk(dir, "openssl", "pkey", "-pubin", "-in", "k1.public.key.pem", "-noout");
  }

  @Test
  @DisplayName("a PKCS#8 RSA key from openssl genpkey with its SubjectPublicKeyInfo and certificate loads")
  void genpkeyRsa() throws Exception {
    assumeOpenssl();
    runOk(dir, "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "k.pem");
    runOk(dir, "openssl", "pkey", "-in", "k.pem", "-pubout", "-out", "k.pub.pem");
    runOk(dir, "openssl", "req", "-new", "-x509", "-key", "k.pem", "-subj", "/CN=x", "-days", "1", "-out", "k.crt");
    assertTrue(Files.readString(dir.resolve("k.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
    Keyset keyset = loader.load(dir, writeDescriptor(dir, "gen", "k.pem", "k.pub.pem", "k.crt", "RSA"));
    assertEquals("RS256", keyset.jwsAlgorithm());
    assertTrue(keyset.certificate().isPresent());
  }

  @Test
  @DisplayName("a PKCS#1 key from openssl genrsa -traditional with a BEGIN RSA PUBLIC KEY file loads")
  void genrsaTraditional() throws Exception {
    assumeOpenssl();
    runOk(dir, "openssl", "genrsa", "-traditional", "-out", "k.pem", "2048");
    runOk(dir, "openssl", "rsa", "-in", "k.pem", "-RSAPublicKey_out", "-out", "k.pub.pem");
    assertTrue(Files.readString(dir.resolve("k.pem")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
    assertTrue(Files.readString(dir.resolve("k.pub.pem")).startsWith("-----BEGIN RSA PUBLIC KEY-----"));
    Keyset keyset = loader.load(dir, writeDescriptor(dir, "trad", "k.pem", "k.pub.pem", null, "RSA"));
    assertEquals("RS256", keyset.jwsAlgorithm());
  }

  @Test
  @DisplayName("a SEC1 key from openssl ecparam -genkey -name secp521r1 (with EC PARAMETERS block) loads as ES512")
  void ecparamSecp521r1() throws Exception {
    assumeOpenssl();
    runOk(dir, "openssl", "ecparam", "-genkey", "-name", "secp521r1", "-out", "k.pem");
    runOk(dir, "openssl", "pkey", "-in", "k.pem", "-pubout", "-out", "k.pub.pem");
    runOk(dir, "openssl", "req", "-new", "-x509", "-key", "k.pem", "-subj", "/CN=x", "-days", "1", "-out", "k.crt");
    assertTrue(Files.readString(dir.resolve("k.pem")).startsWith("-----BEGIN EC PARAMETERS-----"));
    Keyset keyset = loader.load(dir, writeDescriptor(dir, "ec521", "k.pem", "k.pub.pem", "k.crt", "EC"));
    assertEquals("ES512", keyset.jwsAlgorithm());
  }

  @Test
  @DisplayName("a SEC1 P-256 key from openssl ecparam -noout loads as ES256 with its public key derived")
  void ecparamPrime256v1() throws Exception {
    assumeOpenssl();
    runOk(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "k.pem");
    runOk(dir, "openssl", "pkey", "-in", "k.pem", "-pubout", "-out", "k.pub.pem");
    assertTrue(Files.readString(dir.resolve("k.pem")).startsWith("-----BEGIN EC PRIVATE KEY-----"));
    Keyset derived = loader.load(dir, writeDescriptor(dir, "ec256", "k.pem", null, null, "EC"));
    assertEquals("ES256", derived.jwsAlgorithm());
    assertEquals(PemKeys.parsePublicKey(Files.readString(dir.resolve("k.pub.pem"))),
        derived.verificationKey().publicKey());
  }

  @Test
  @DisplayName("a 4096-bit PKCS#1 key from ssh-keygen -m PEM loads")
  void sshKeygenPem() throws Exception {
    assumeSshKeygen();
    runOk(dir, "ssh-keygen", "-q", "-t", "rsa", "-b", "4096", "-m", "PEM", "-N", "", "-f", "ssh.key");
    assertTrue(Files.readString(dir.resolve("ssh.key")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
    Keyset keyset = loader.load(dir, writeDescriptor(dir, "ssh", "ssh.key", null, null, "RSA"));
    assertEquals("RS256", keyset.jwsAlgorithm());
    assertEquals(4096, ((java.security.interfaces.RSAPublicKey) keyset.verificationKey().publicKey())
        .getModulus().bitLength());
  }
}
