package io.keepcluster.node.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.status.Problem;
import io.keepcluster.node.status.Problems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Nothing a scan does stops the scanning: errors are caught, stuck scans are restarted. */
@DisplayName("the keyset watcher's watchdog")
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KeysetWatcherWatchdogTest {

  private static final Duration BOUND = Duration.ofMillis(400);

  @TempDir Path dir;
  private final Problems problems = new Problems();
  private final CountDownLatch release = new CountDownLatch(1);
  private KeysetWatcher watcher;

  /** A scanner whose n-th scan (over all fresh instances) does what {@code behaviour} says. */
  private final class ScriptedScanner implements FolderScanner {
    private final AtomicInteger scans;
    private final IntFunction<KeysetScan> behaviour;

    ScriptedScanner(AtomicInteger scans, IntFunction<KeysetScan> behaviour) {
      this.scans = scans;
      this.behaviour = behaviour;
    }

    @Override
    public Path dir() {
      return dir;
    }

    @Override
    public KeysetScan scan() {
      return behaviour.apply(scans.incrementAndGet());
    }

    @Override
    public FolderScanner fresh() {
      return new ScriptedScanner(scans, behaviour);
    }
  }

  private static KeysetScan empty() {
    return new KeysetScan(Map.of(), Set.of(), Map.of());
  }

  private Optional<Problem> scannerProblem() {
    return problems.all().stream().filter(p -> p.file().equals(KeysetWatcher.PROBLEM)).findFirst();
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (watcher != null) {
      watcher.close();
    }
  }

  @Test
  @DisplayName("a scan blocked beyond the bound is abandoned and restarted; DEGRADED until a scan completes")
  void stuckScanIsRestarted() throws Exception {
    AtomicInteger applied = new AtomicInteger();
    AtomicInteger scans = new AtomicInteger();
    java.util.List<Problem> seenBySink = new java.util.concurrent.CopyOnWriteArrayList<>();
    watcher = new KeysetWatcher(new ScriptedScanner(scans, n -> {
      if (n == 2) { // the first periodic rescan blocks, as an open() of a FIFO would
        try {
          release.await();
        } catch (InterruptedException e) {
          // the watchdog interrupts it; stay stuck like a native open() would
          try {
            release.await();
          } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
          }
        }
      }
      return empty();
    }), scan -> {
      scannerProblem().ifPresent(seenBySink::add);
      applied.incrementAndGet();
    }, Duration.ofMillis(20), Duration.ofMillis(100), problems, BOUND);
    watcher.start();

    // The restarted scan sees the node DEGRADED (its completion then clears it).
    await().atMost(Duration.ofSeconds(5)).until(() -> !seenBySink.isEmpty());
    Problem problem = seenBySink.get(0);
    assertTrue(problem.degrading(), "the node is DEGRADED");
    assertTrue(problem.error().contains("restarted"), problem.error());
    // The restarted scans complete, which clears the problem; the watcher keeps scanning.
    await().atMost(Duration.ofSeconds(5)).until(() -> scannerProblem().isEmpty() && !problems.degraded());
    int before = applied.get();
    await().atMost(Duration.ofSeconds(5)).until(() -> applied.get() > before + 2);
    // A late answer of the abandoned scan is dropped: the sink keeps a single writer.
    int beforeRelease = scans.get();
    release.countDown();
    watcher.scanNow().get(5, TimeUnit.SECONDS);
    assertTrue(scans.get() > beforeRelease);
  }

  @Test
  @DisplayName("scanNow completes even when the scan it waits for is stuck and restarted")
  void scanNowCompletesAcrossARestart() throws Exception {
    AtomicInteger scans = new AtomicInteger();
    watcher = new KeysetWatcher(new ScriptedScanner(scans, n -> {
      if (n == 2) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          try {
            release.await(); // ignore the interrupt once more, like a blocked native call
          } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
          }
        }
      }
      return empty();
    }), scan -> {}, Duration.ofMillis(20), Duration.ofHours(1), problems, BOUND);
    watcher.start(); // scan 1
    long started = System.nanoTime();
    watcher.scanNow().get(5, TimeUnit.SECONDS); // scan 2 is stuck, the restart's scan answers
    assertTrue(System.nanoTime() - started >= BOUND.toNanos(), "answered by the restarted scan");
  }

  @Test
  @DisplayName("an OutOfMemoryError or StackOverflowError in a scan is reported once and the rescans go on")
  void errorsAreCaught() throws Exception {
    AtomicInteger scans = new AtomicInteger();
    AtomicInteger applied = new AtomicInteger();
    watcher = new KeysetWatcher(new ScriptedScanner(scans, n -> {
      if (n >= 2 && n <= 4) {
        throw new OutOfMemoryError("Java heap space (simulated)");
      }
      if (n == 5) {
        throw new StackOverflowError();
      }
      return empty();
    }), scan -> applied.incrementAndGet(), Duration.ofMillis(20), Duration.ofMillis(50), problems, BOUND);
    watcher.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> scannerProblem().isPresent());
    assertTrue(scannerProblem().orElseThrow().error().contains("OutOfMemoryError"), scannerProblem().toString());
    assertTrue(problems.degraded());
    await().atMost(Duration.ofSeconds(5)).until(() -> scans.get() > 6 && scannerProblem().isEmpty());
    assertFalse(problems.degraded());
    assertEquals(scans.get() - 4, applied.get(), "every scan but the four failed ones was applied");
  }
}
