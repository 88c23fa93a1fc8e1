package io.keepcluster.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeysetRecordTest {

  private final ClusterCipher cipher = new ClusterCipher(randomKey(), new SecureRandom());

  /** Stands in for a key derived from the cluster secret; another key means another secret. */
  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private Keyset keyset() throws Exception {
    return new KeysetLoader().load(new KeysetGenerator()
        .generate(KeysetName.of("A"), KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC()));
  }

  @Test
  @DisplayName("the replicated form never holds the private key in clear")
  void noPrivateKeyInClear() throws Exception {
    KeysetRecord record = KeysetRecord.of(keyset(), cipher, Instant.now(), "node1");
    assertFalse(record.toJson().contains("PRIVATE KEY"));
    assertFalse(record.toString().contains(record.sealedPrivateKey()));
  }

  @Test
  @DisplayName("a record survives JSON and opens into the same keyset")
  void roundTrip() throws Exception {
    Keyset keyset = keyset();
    KeysetRecord record = KeysetRecord.fromJson(KeysetRecord.of(keyset, cipher, Instant.now(), "node1").toJson());
    Keyset reopened = new KeysetLoader().load(record.open(cipher));
    assertEquals(keyset.fingerprint(), reopened.fingerprint());
    assertEquals(KeysetRecord.State.ACTIVE, record.state());
    assertEquals("node1", record.origin());
  }

  @Test
  @DisplayName("retiring keeps the first retirement time")
  void retireKeepsFirstTime() throws Exception {
    KeysetRecord record = KeysetRecord.of(keyset(), cipher, Instant.now(), "node1");
    Instant first = Instant.parse("2026-01-01T00:00:00Z");
    KeysetRecord retired = record.retired(first).retired(first.plusSeconds(60));
    assertEquals(KeysetRecord.State.RETIRED, retired.state());
    assertEquals(first, retired.retiredAt().orElseThrow());
    assertTrue(KeysetRecord.fromJson(retired.toJson()).retiredAt().isPresent());
  }

  @Test
  @DisplayName("a record cannot be opened with another cluster's secret")
  void otherSecretCannotOpen() throws Exception {
    KeysetRecord record = KeysetRecord.of(keyset(), cipher, Instant.now(), "node1");
    assertThrows(ClusterCipher.SealException.class,
        () -> record.open(new ClusterCipher(randomKey(), new SecureRandom())));
  }
}
