package io.keepcluster.shared.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PemKeysTest {

  @ParameterizedTest
  @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
  @DisplayName("the public key derived from an EC private key equals the generated one")
  void derivesEcPublicKey(String curve) throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec(curve));
    KeyPair pair = ec.generateKeyPair();
    assertEquals(pair.getPublic(), PemKeys.derivePublicKey(pair.getPrivate()));
  }

  @Test
  @DisplayName("the public key derived from an RSA private key equals the generated one")
  void derivesRsaPublicKey() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair pair = rsa.generateKeyPair();
    assertEquals(pair.getPublic(), PemKeys.derivePublicKey(pair.getPrivate()));
  }

  @Test
  @DisplayName("toPem and parse are inverse for private and public keys")
  void pemRoundTrip() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = ec.generateKeyPair();
    assertEquals(pair.getPrivate(), PemKeys.parsePrivateKey(PemKeys.toPem(pair.getPrivate())));
    assertEquals(pair.getPublic(), PemKeys.parsePublicKey(PemKeys.toPem(pair.getPublic())));
  }

  @Test
  @DisplayName("text without a PEM block is refused as holding no key")
  void noPemBlock() {
    KeysetLoadException e = assertThrows(KeysetLoadException.class, () -> PemKeys.parsePublicKey("hello"));
    assertEquals("no public key found in PEM", e.reason());
    assertEquals("no certificate found in PEM",
        assertThrows(KeysetLoadException.class, () -> PemKeys.parseCertificate("")).reason());
  }

  @Test
  @DisplayName("toPem refuses objects that have no PEM form")
  void toPemRefusesOtherObjects() {
    assertThrows(IllegalArgumentException.class, () -> PemKeys.toPem("text"));
  }
}
