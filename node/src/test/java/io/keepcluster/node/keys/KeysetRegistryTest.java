package io.keepcluster.node.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.testing.MutableClock;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The registry alone: signer choice, activation, retirement and expiry, with a controlled clock. */
class KeysetRegistryTest {

  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  private static final Duration MAX_LIFETIME = Duration.ofHours(24);

  private final MutableClock clock = new MutableClock(T0);
  private final EphemeralKey ephemeral = EphemeralKey.create("n1", "KeepCluster", new SecureRandom());
  private final KeyRing ring = new KeyRing(new KeyRingSnapshot(ephemeral.signing(), List.of(ephemeral.verifying())));
  private final KeysetRegistry registry = new KeysetRegistry(ring, ephemeral, MAX_LIFETIME, clock, "n1");

  private static Keyset keyset(String name, Instant created) throws Exception {
    return new KeysetLoader().load(new KeysetGenerator()
        .generate(KeysetName.of(name), KeyAlgorithmSpec.ec("P-256"), Clock.fixed(created, ZoneOffset.UTC)));
  }

  private String signer() {
    return ring.current().signer().kid();
  }

  @Test
  @DisplayName("with no keyset the ephemeral key signs, and an unknown kid finds no verifier")
  void ephemeralWhenEmpty() {
    assertEquals(ephemeral.kid(), signer());
    assertTrue(ring.current().verifier("nope").isEmpty());
  }

  @Test
  @DisplayName("the newest certificate signs, whatever order the keysets arrive in")
  void newestSigns() throws Exception {
    registry.put(keyset("Newer", T0.plusSeconds(60)), true);
    registry.put(keyset("Older", T0), true);

    assertEquals("Newer", signer());
  }

  @Test
  @DisplayName("on equal notBefore the NAME that sorts last signs")
  void tieByName() throws Exception {
    registry.put(keyset("Beta", T0), true);
    registry.put(keyset("Alpha", T0), true);

    assertEquals("Beta", signer());
  }

  @Test
  @DisplayName("a keyset that is not yet signable verifies but does not sign (two-phase activation)")
  void notSignableOnlyVerifies() throws Exception {
    registry.put(keyset("A", T0), false);

    assertEquals(ephemeral.kid(), signer());
    assertTrue(ring.current().verifier("A").isPresent());

    registry.markSignable("A");
    assertEquals("A", signer());
  }

  @Test
  @DisplayName("putting the same keyset again as not signable keeps it signing")
  void repeatedPutKeepsSignable() throws Exception {
    Keyset a = keyset("A", T0);
    registry.put(a, true);

    assertFalse(registry.put(a, false));
    assertEquals("A", signer());
  }

  @Test
  @DisplayName("a retired keyset stops signing at once, verifies until maxJwtDuration, then is dropped")
  void retireThenExpire() throws Exception {
    registry.put(keyset("A", T0), true);
    registry.put(keyset("B", T0.minusSeconds(60)), true);

    registry.retire("A");
    assertEquals("B", signer());
    assertEquals(T0.plus(MAX_LIFETIME), ring.current().verifier("A").orElseThrow().verifyUntil().orElseThrow());

    clock.advance(MAX_LIFETIME.minusSeconds(1));
    assertTrue(registry.dropExpired().isEmpty());
    clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of("A"), registry.dropExpired());
    assertTrue(ring.current().verifier("A").isEmpty());
  }

  @Test
  @DisplayName("retirement is one-way: the same keyset put again stays retired")
  void retirementIsSticky() throws Exception {
    Keyset a = keyset("A", T0);
    registry.put(a, true);
    registry.retire("A");

    assertFalse(registry.put(a, true));
    assertTrue(registry.isRetired("A"));
    assertEquals(ephemeral.kid(), signer());
  }

  @Test
  @DisplayName("remove (revoke) forgets a keyset at once: its tokens no longer find a verifier")
  void removeForgets() throws Exception {
    registry.put(keyset("A", T0), true);
    registry.remove("A");

    assertTrue(ring.current().verifier("A").isEmpty());
    assertEquals(ephemeral.kid(), signer());
  }

  @Test
  @DisplayName("health lists each keyset with its state and nodes")
  void healthView() throws Exception {
    registry.put(keyset("A", T0), true);
    registry.put(keyset("B", T0.plusSeconds(1)), true);
    registry.retire("A");

    assertEquals("retiring", registry.keysets().getJsonObject(0).getString("state"));
    assertEquals("signing", registry.keysets().getJsonObject(1).getString("state"));
    assertEquals("n1", registry.keysets().getJsonObject(1).getJsonArray("nodes").getString(0));
    assertEquals(1, registry.count(KeysetStatus.SIGNING));
  }
}
