package io.keepcluster.node.keys;

import io.keepcluster.node.status.ProblemKind;
import io.keepcluster.node.status.Problems;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the config folder and hands each fresh {@link KeysetScan} to a sink. File events are
 * debounced (a keyset copied file by file is scanned once the copying pauses) and a periodic
 * rescan backs up the WatchService, which may miss or overflow events. Scans run one at a time,
 * and only the current scan thread hands results to the sink, so the sink has a single writer.
 *
 * <p>Nothing in the folder may stop the scanning: every failure of a scan, {@link Error}s
 * included, is caught, reported once (log and {@code /health}) and the next scan tries again. A
 * watchdog restarts the scanning when a scan runs longer than {@code scanBound} (a read that
 * blocks) or the periodic rescan stopped; until a scan completes again the node is DEGRADED
 * ({@link ProblemKind#KEYSET_SCANNER} under {@value #PROBLEM}). A stuck scan thread is abandoned,
 * never shared: the restarted scans use a fresh {@link KeysetScanner}, and a late result of the
 * abandoned thread is dropped.
 */
public final class KeysetWatcher implements AutoCloseable {

  /** The {@code /health} problem key of the scanner itself. */
  public static final String PROBLEM = "keyset-scanner";
  /** Longest a scan may run before the watchdog restarts the scanning. */
  public static final Duration DEFAULT_SCAN_BOUND = Duration.ofSeconds(10);
  /** Abandoned scan threads still blocked beyond which no further restart is attempted. */
  static final int MAX_ABANDONED = 4;

  private static final Logger LOG = LoggerFactory.getLogger(KeysetWatcher.class);

  private final Consumer<KeysetScan> sink;
  private final Duration debounce;
  private final Duration rescanEvery;
  private final Problems problems;
  private final Duration scanBound;
  private final ScheduledExecutorService watchdog;
  private final Object sinkLock = new Object();
  private final AtomicReference<InFlight> inFlight = new AtomicReference<>();
  private final ConcurrentLinkedQueue<CompletableFuture<Void>> waiting = new ConcurrentLinkedQueue<>();
  private final List<Thread> abandoned = new ArrayList<>();

  // Replaced together by restart(), under this object's lock.
  private volatile FolderScanner scanner;
  private volatile ScheduledExecutorService scans;
  private volatile int generation;
  private ScheduledFuture<?> periodic;
  private ScheduledFuture<?> pending;
  private Thread watchThread;
  private WatchService watchService;
  private volatile boolean started;
  private volatile boolean closed;

  /** Failure state, touched by the scan threads only. */
  private volatile String lastFailure;
  private volatile boolean degraded;

  /** The scan running now: its thread, when it started and who waits for it. */
  private record InFlight(Thread thread, long startedNanos, int generation, List<CompletableFuture<Void>> waiters) {}

  public KeysetWatcher(KeysetScanner scanner, Consumer<KeysetScan> sink, Duration debounce,
      Duration rescanEvery, Problems problems, Duration scanBound) {
    this((FolderScanner) scanner, sink, debounce, rescanEvery, problems, scanBound);
  }

  KeysetWatcher(FolderScanner scanner, Consumer<KeysetScan> sink, Duration debounce,
      Duration rescanEvery, Problems problems, Duration scanBound) {
    this.scanner = scanner;
    this.sink = sink;
    this.debounce = debounce;
    this.rescanEvery = rescanEvery;
    this.problems = problems;
    this.scanBound = scanBound;
    this.scans = newScanExecutor();
    this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("keepcluster-keyset-watchdog"));
  }

  public KeysetWatcher(KeysetScanner scanner, Consumer<KeysetScan> sink, Duration debounce,
      Duration rescanEvery, Problems problems) {
    this(scanner, sink, debounce, rescanEvery, problems, DEFAULT_SCAN_BOUND);
  }

  /** Scans once (blocking until applied), then starts watching and rescanning. */
  public void start() throws IOException {
    watchService = FileSystems.getDefault().newWatchService();
    scanner.dir().register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
    long checkMillis = Math.max(10, Math.min(1000, scanBound.toMillis() / 4));
    watchdog.scheduleWithFixedDelay(this::check, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    scanNow().join(); // the watchdog already guards this first scan
    synchronized (this) {
      watchThread = daemon("keepcluster-keyset-watch").newThread(this::watchLoop);
      watchThread.start();
      periodic = schedulePeriodic(scans);
      started = true;
    }
    LOG.info("event=keyset_watch_started dir={} debounce_ms={} rescan_ms={} scan_bound_ms={}",
        scanner.dir(), debounce.toMillis(), rescanEvery.toMillis(), scanBound.toMillis());
  }

  /**
   * Scans as soon as possible; completes once a scan that started after this call has finished
   * (applied, or failed and reported), even when the watchdog had to restart the scanning.
   */
  public CompletableFuture<Void> scanNow() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    waiting.add(done);
    submit();
    return done;
  }

  private synchronized void submit() {
    if (closed) {
      completeAll(drainWaiting());
      return;
    }
    try {
      scans.execute(this::scanQuietly);
    } catch (RejectedExecutionException e) {
      // Shut down under us: the watchdog restarts it and the waiters are scanned then.
      LOG.debug("event=keyset_scan_rejected");
    }
  }

  private void scanQuietly() {
    int myGeneration = generation;
    FolderScanner myScanner = scanner;
    InFlight me = new InFlight(Thread.currentThread(), System.nanoTime(), myGeneration, drainWaiting());
    inFlight.set(me);
    try {
      KeysetScan scan = myScanner.scan();
      synchronized (sinkLock) {
        if (myGeneration != generation) {
          return; // abandoned by the watchdog: the restarted scans own the sink now
        }
        sink.accept(scan);
      }
      scanCompleted();
    } catch (Throwable e) {
      // Errors included (OutOfMemoryError, StackOverflowError): a scan that dies here must not
      // take the rescans with it, and must not go unnoticed.
      if (myGeneration == generation) {
        scanFailed(e);
      }
    } finally {
      // An abandoned scan's waiters were handed to the restarted scans.
      if (inFlight.compareAndSet(me, null)) {
        completeAll(me.waiters());
      }
    }
  }

  private void scanCompleted() {
    if (degraded || lastFailure != null) {
      problems.clear(PROBLEM);
      degraded = false;
      lastFailure = null;
      LOG.info("event=keyset_scan_recovered dir={}", scanner.dir());
    }
  }

  private void scanFailed(Throwable e) {
    String what = e.getClass().getSimpleName();
    degraded = true;
    problems.report(ProblemKind.KEYSET_SCANNER, PROBLEM, "keyset scan failed (" + what + "); files in the folder are not"
        + " applied until a scan succeeds; the node keeps its loaded keysets");
    if (!what.equals(lastFailure)) {
      lastFailure = what;
      LOG.error("event=keyset_scan_failed dir={} error={}", scanner.dir(), what, e);
    } else {
      LOG.debug("event=keyset_scan_failed_again error={}", what);
    }
  }

  /** The watchdog: a scan stuck beyond the bound, or a periodic rescan that stopped. */
  private void check() {
    try {
      if (closed) {
        return;
      }
      InFlight current = inFlight.get();
      long runningNanos = current == null ? 0 : System.nanoTime() - current.startedNanos();
      if (current != null && current.generation() == generation && runningNanos > scanBound.toNanos()) {
        restart("a scan has run for " + TimeUnit.NANOSECONDS.toMillis(runningNanos)
            + " ms (longer than " + scanBound.toMillis() + " ms; a file that blocks reads?)");
      } else if (started && stopped()) {
        restart("the periodic rescan stopped");
      }
    } catch (Throwable e) {
      LOG.error("event=keyset_watchdog_failed error={}", e.getClass().getSimpleName(), e);
    }
  }

  private synchronized boolean stopped() {
    return scans.isShutdown() || periodic == null || periodic.isDone() || !watchThread.isAlive();
  }

  private synchronized void restart(String why) {
    if (closed) {
      return;
    }
    abandoned.removeIf(thread -> !thread.isAlive());
    InFlight stuck = inFlight.get();
    if (stuck != null && stuck.generation() == generation) {
      if (abandoned.size() >= MAX_ABANDONED) {
        degraded = true;
        problems.report(ProblemKind.KEYSET_SCANNER, PROBLEM, "keyset scanner stuck: " + why + "; " + abandoned.size()
            + " earlier scans are still blocked, no further restart until one returns");
        return;
      }
      abandoned.add(stuck.thread());
    }
    if (stuck != null && inFlight.compareAndSet(stuck, null)) {
      waiting.addAll(stuck.waiters()); // they get the restarted scan's answer
    }
    generation++;
    ScheduledExecutorService old = scans;
    old.shutdownNow(); // interrupts it; a thread blocked in a native open() stays blocked, abandoned
    scanner = scanner.fresh(); // never shared with the abandoned thread
    scans = newScanExecutor();
    periodic = started ? schedulePeriodic(scans) : null;
    if (started && (watchThread == null || !watchThread.isAlive())) {
      watchThread = daemon("keepcluster-keyset-watch").newThread(this::watchLoop);
      watchThread.start();
    }
    degraded = true;
    problems.report(ProblemKind.KEYSET_SCANNER, PROBLEM, "keyset scanner restarted: " + why
        + "; DEGRADED until a scan completes");
    LOG.error("event=keyset_scanner_restarted dir={} reason=\"{}\" abandoned_threads={}",
        scanner.dir(), why, abandoned.size());
    scans.execute(this::scanQuietly);
  }

  private ScheduledFuture<?> schedulePeriodic(ScheduledExecutorService executor) {
    return executor.scheduleWithFixedDelay(this::scanQuietly, rescanEvery.toMillis(),
        rescanEvery.toMillis(), TimeUnit.MILLISECONDS);
  }

  private List<CompletableFuture<Void>> drainWaiting() {
    List<CompletableFuture<Void>> drained = new ArrayList<>();
    for (CompletableFuture<Void> f = waiting.poll(); f != null; f = waiting.poll()) {
      drained.add(f);
    }
    return drained;
  }

  private static void completeAll(List<CompletableFuture<Void>> futures) {
    futures.forEach(f -> f.complete(null));
  }

  private void watchLoop() {
    while (!Thread.currentThread().isInterrupted()) {
      WatchKey key;
      try {
        key = watchService.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      boolean relevant = false;
      for (WatchEvent<?> event : key.pollEvents()) {
        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
          relevant = true;
        } else if (event.context() instanceof Path path && relevant(path.getFileName().toString())) {
          relevant = true;
        }
      }
      key.reset();
      if (relevant) {
        scheduleDebounced();
      }
    }
  }

  /** Editor swap files, backups and our own temp files never trigger a scan. */
  static boolean relevant(String fileName) {
    return !fileName.startsWith(".") && !fileName.endsWith("~") && !fileName.endsWith(".swp")
        && !fileName.endsWith(".tmp");
  }

  private synchronized void scheduleDebounced() {
    if (pending != null) {
      pending.cancel(false);
    }
    try {
      pending = scans.schedule(this::scanQuietly, debounce.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      pending = null; // being restarted or closed; the restart scans anyway
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (watchThread != null) {
        watchThread.interrupt();
      }
    }
    try {
      if (watchService != null) {
        watchService.close();
      }
    } catch (IOException e) {
      LOG.debug("event=keyset_watch_close_failed reason=\"{}\"", e.getMessage());
    }
    watchdog.shutdownNow();
    scans.shutdownNow();
    completeAll(drainWaiting());
  }

  private ScheduledExecutorService newScanExecutor() {
    return Executors.newSingleThreadScheduledExecutor(daemon("keepcluster-keyset-scan"));
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
