package io.keepcluster.node.keys.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.keys.EphemeralKey;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.keys.KeysetScan;
import io.keepcluster.node.keys.KeysetStatus;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The periodic tick of {@link KeysetLifecycle}: skipped while nothing the planner reads changed,
 * run again when a deadline is reached or the store changes. Passes are counted by the store
 * reads they start with.
 */
class KeysetLifecycleTickTest {

  private static final Instant T0 = Instant.parse("2026-11-30T04:00:00Z");
  private static final Duration MAX_TOKEN_LIFETIME = Duration.ofHours(2);

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final AtomicInteger passes = new AtomicInteger();
  private InMemoryKeysetStore store;
  private KeysetLifecycle lifecycle;

  @BeforeEach
  void start() throws Exception {
    EphemeralKey ephemeral = EphemeralKey.create("node2", "https://keep.test", new SecureRandom());
    KeysetRegistry registry = new KeysetRegistry(
        new KeyRing(new KeyRingSnapshot(ephemeral.signing(), List.of(ephemeral.verifying()))),
        ephemeral, MAX_TOKEN_LIFETIME, clock, "node2");
    store = new InMemoryKeysetStore("node2");
    lifecycle = new KeysetLifecycle("node2", new CountingStore(store, passes), registry,
        new KeysetPersistence(dir), new ProblemReporter(new Problems(), clock, Duration.ZERO),
        new KeysetPlanner("node2", Duration.ZERO, MAX_TOKEN_LIFETIME, Duration.ZERO), clock, () -> true);
    lifecycle.start(Duration.ofMillis(20));
  }

  @AfterEach
  void stop() {
    lifecycle.close();
  }

  @Test
  @DisplayName("an idle lifecycle with a settled keyset skips its periodic ticks")
  void idleTicksAreSkipped() throws Exception {
    Keyset idle = keyset("Idle");
    store.publishIfAbsent(KeysetRecord.of(idle, T0, "node1"));
    lifecycle.passNow().get();
    await().atMost(Duration.ofSeconds(10)).until(() -> store.acks("Idle").containsKey("node2"));
    // The scan that follows this node's write of the replicated copy (the watcher's, in a node).
    lifecycle.accept(new KeysetScan(Map.of("Idle", idle), Set.of("Idle"), Map.of()));
    // Let the passes its own writes triggered settle, then count ticks over a second (50 ticks).
    await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> true);
    int before = passes.get();
    await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> true);

    int during = passes.get() - before;
    assertTrue(during <= 2, "passes during 50 idle ticks: " + during);
  }

  @Test
  @DisplayName("a retired keyset still expires when the clock passes its deadline and nothing else changed")
  void deadlineEndsTheSkipping() throws Exception {
    KeysetRecord record = KeysetRecord.of(keyset("Retired"), T0, "node1");
    store.publishIfAbsent(record);
    store.update(record.retired(T0));
    lifecycle.passNow().get();
    await().atMost(Duration.ofSeconds(10)).until(() -> store.acks("Retired").containsKey("node2"));
    lifecycle.accept(new KeysetScan(Map.of(), Set.of("Retired"), Map.of()));
    await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> true);
    int before = passes.get();
    await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> true);
    assertTrue(passes.get() - before <= 2, "skipping before the deadline");

    clock.advance(MAX_TOKEN_LIFETIME.plusSeconds(1));

    await().atMost(Duration.ofSeconds(10))
        .until(() -> store.records().get("Retired").status() == KeysetStatus.GONE);
  }

  private static Keyset keyset(String name) throws Exception {
    return new KeysetLoader().load(new KeysetGenerator()
        .generate(KeysetName.of(name), KeyAlgorithmSpec.ec("P-256"), Clock.systemUTC()));
  }

  /** Counts {@link #records()} calls: each pass starts with one. */
  private record CountingStore(KeysetStore delegate, AtomicInteger reads) implements KeysetStore {
    @Override
    public Map<String, KeysetRecord> records() {
      reads.incrementAndGet();
      return delegate.records();
    }

    @Override
    public KeysetRecord publishIfAbsent(KeysetRecord record) {
      return delegate.publishIfAbsent(record);
    }

    @Override
    public void update(KeysetRecord record) {
      delegate.update(record);
    }

    @Override
    public Map<String, String> acks(String kid) {
      return delegate.acks(kid);
    }

    @Override
    public void ack(String kid, String nodeId, String fingerprint) {
      delegate.ack(kid, nodeId, fingerprint);
    }

    @Override
    public List<String> members() {
      return delegate.members();
    }

    @Override
    public void onChange(Runnable listener) {
      delegate.onChange(listener);
    }
  }
}
