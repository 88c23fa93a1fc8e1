package io.keepcluster.node.keys.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepcluster.node.keys.EphemeralKey;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.status.ProblemReporter;
import io.keepcluster.node.status.Problems;
import io.keepcluster.node.testing.MutableClock;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replication lag a node reports: from a keyset's publication on its origin node to its use
 * here, measured on this node's clock. A lifecycle over an in-memory store stands in for the grid.
 */
class ReplicationLagTest {

  private static final Instant T0 = Instant.parse("2026-11-30T04:00:00Z");

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final List<Duration> lags = new CopyOnWriteArrayList<>();
  private InMemoryKeysetStore store;
  private KeysetLifecycle lifecycle;

  @BeforeEach
  void start() throws Exception {
    EphemeralKey ephemeral = EphemeralKey.create("node2", "https://keep.test", new SecureRandom());
    KeysetRegistry registry = new KeysetRegistry(
        new KeyRing(new KeyRingSnapshot(ephemeral.signing(), List.of(ephemeral.verifying()))),
        ephemeral, Duration.ofHours(2), clock, "node2");
    registry.onReplicated(lags::add);
    store = new InMemoryKeysetStore("node2");
    lifecycle = new KeysetLifecycle("node2", store, registry, new KeysetPersistence(dir),
        new ProblemReporter(new Problems(), clock, Duration.ZERO),
        new KeysetPlanner("node2", Duration.ZERO, Duration.ofHours(2), Duration.ZERO), clock, () -> true);
    lifecycle.start(Duration.ofMillis(200));
  }

  @AfterEach
  void stop() {
    lifecycle.close();
  }

  private static Keyset keyset(String name) throws Exception {
    return new KeysetLoader().load(new KeysetGenerator()
        .generate(KeysetName.of(name), KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC()));
  }

  @Test
  @DisplayName("a keyset published by another node 750 ms before this node applies it is a lag of 750 ms")
  void lagOfANewKeyset() throws Exception {
    clock.advance(Duration.ofSeconds(10));
    Instant published = clock.instant();
    clock.advance(Duration.ofMillis(750));

    store.publishIfAbsent(KeysetRecord.of(keyset("Fresh"), published, "node1"));
    lifecycle.passNow().get();

    await().atMost(Duration.ofSeconds(10)).until(() -> !lags.isEmpty());
    assertEquals(List.of(Duration.ofMillis(750)), lags);
  }

  @Test
  @DisplayName("a keyset published before this node started is old news, not lag")
  void noLagForOldKeysets() throws Exception {
    store.publishIfAbsent(KeysetRecord.of(keyset("Old"), T0.minus(Duration.ofDays(3)), "node1"));
    lifecycle.passNow().get();
    // The clock moves first: an entry event may apply the record before passNow() runs.
    clock.advance(Duration.ofMillis(20));
    store.publishIfAbsent(KeysetRecord.of(keyset("New"), T0.plusMillis(1), "node1"));
    lifecycle.passNow().get();

    await().atMost(Duration.ofSeconds(10)).until(() -> !lags.isEmpty());
    assertEquals(List.of(Duration.ofMillis(19)), lags, "only the keyset published after the start");
  }

  @Test
  @DisplayName("this node's own keysets are never counted as replicated")
  void ownKeysetsNotCounted() throws Exception {
    clock.advance(Duration.ofSeconds(1));
    store.publishIfAbsent(KeysetRecord.of(keyset("Mine"), T0.plusMillis(500), "node2"));
    lifecycle.passNow().get();
    lifecycle.passNow().get();

    assertEquals(List.of(), lags);
  }
}
