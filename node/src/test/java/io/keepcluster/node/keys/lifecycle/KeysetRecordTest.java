package io.keepcluster.node.keys.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.keys.KeysetStatus;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeysetRecordTest {

  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

  private static Keyset keyset() throws Exception {
    return new KeysetLoader().load(new KeysetGenerator()
        .generate(KeysetName.of("A"), KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC()));
  }

  @Test
  @DisplayName("a record survives JSON and gives back the same four files")
  void roundTrip() throws Exception {
    Keyset keyset = keyset();
    KeysetRecord record = KeysetRecord.fromJson(KeysetRecord.of(keyset, T0, "node1").toJson());
    Keyset reopened = new KeysetLoader().load(record.files());
    assertEquals(keyset.fingerprint(), reopened.fingerprint());
    assertEquals(KeysetStatus.VERIFYING, record.status());
    assertEquals(T0, record.publishedAt());
    assertEquals("node1", record.origin());
  }

  @Test
  @DisplayName("its text form never shows key material")
  void toStringHidesKeys() throws Exception {
    KeysetRecord record = KeysetRecord.of(keyset(), T0, "node1");
    assertFalse(record.toString().contains("PRIVATE KEY"));
    assertFalse(record.toString().contains("PUBLIC KEY"));
  }

  @Test
  @DisplayName("retiring keeps the first retirement time, and the tombstones keep it too")
  void retireKeepsFirstTime() throws Exception {
    KeysetRecord record = KeysetRecord.of(keyset(), T0, "node1");
    KeysetRecord retired = record.retired(T0.plusSeconds(1)).retired(T0.plusSeconds(60));
    assertEquals(KeysetStatus.RETIRING, retired.status());
    assertEquals(T0.plusSeconds(1), retired.retiredAt().orElseThrow());
    assertEquals(retired.retiredAt(), KeysetRecord.fromJson(retired.toJson()).retiredAt());
    assertTrue(retired.gone().status().tombstone());
    assertTrue(retired.revoked().status().tombstone());
    assertEquals(retired.retiredAt(), retired.gone().retiredAt());
  }

  @Test
  @DisplayName("a record is never SIGNING: signing is each node's own decision")
  void neverSigning() throws Exception {
    KeysetRecord record = KeysetRecord.of(keyset(), T0, "node1");
    assertThrows(IllegalArgumentException.class, () -> new KeysetRecord(record.kid(), record.fingerprint(),
        record.descriptorJson(), record.certificatePem(), record.publicKeyPem(), record.privateKeyPem(),
        KeysetStatus.SIGNING, T0, record.retiredAt(), "node1"));
  }

  @Test
  @DisplayName("text that is not a record is refused with an IllegalArgumentException")
  void garbageRefused() {
    assertThrows(IllegalArgumentException.class, () -> KeysetRecord.fromJson("{\"kid\":\"A\"}"));
    assertThrows(IllegalArgumentException.class, () -> KeysetRecord.fromJson("not json"));
  }
}
