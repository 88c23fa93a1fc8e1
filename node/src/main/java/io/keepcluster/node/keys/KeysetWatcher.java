package io.keepcluster.node.keys;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the config folder and hands each fresh {@link KeysetScan} to a sink. File events are
 * debounced (a keyset copied file by file is scanned once the copying pauses) and a periodic
 * rescan backs up the WatchService, which may miss or overflow events. All scans run on one
 * thread, so the sink has a single writer.
 */
public final class KeysetWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KeysetWatcher.class);

  private final KeysetScanner scanner;
  private final Consumer<KeysetScan> sink;
  private final Duration debounce;
  private final Duration rescanEvery;
  private final ScheduledExecutorService scans;
  private final Thread watchThread;
  private WatchService watchService;
  private ScheduledFuture<?> pending;

  public KeysetWatcher(KeysetScanner scanner, Consumer<KeysetScan> sink, Duration debounce,
      Duration rescanEvery) {
    this.scanner = scanner;
    this.sink = sink;
    this.debounce = debounce;
    this.rescanEvery = rescanEvery;
    this.scans = Executors.newSingleThreadScheduledExecutor(daemon("keepcluster-keyset-scan"));
    this.watchThread = daemon("keepcluster-keyset-watch").newThread(this::watchLoop);
  }

  /** Scans once (blocking until applied), then starts watching and rescanning. */
  public void start() throws IOException {
    watchService = FileSystems.getDefault().newWatchService();
    scanner.dir().register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
    scanNow().join();
    watchThread.start();
    scans.scheduleWithFixedDelay(this::scanQuietly, rescanEvery.toMillis(), rescanEvery.toMillis(),
        TimeUnit.MILLISECONDS);
    LOG.info("event=keyset_watch_started dir={} debounce_ms={} rescan_ms={}", scanner.dir(),
        debounce.toMillis(), rescanEvery.toMillis());
  }

  /** Scans as soon as possible; completes once the sink has the result. */
  public CompletableFuture<Void> scanNow() {
    return CompletableFuture.runAsync(this::scanQuietly, scans);
  }

  private void scanQuietly() {
    try {
      sink.accept(scanner.scan());
    } catch (RuntimeException e) {
      // One bad scan must not stop the watcher; the next event or rescan tries again.
      LOG.error("event=keyset_scan_failed dir={}", scanner.dir(), e);
    }
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
    pending = scans.schedule(this::scanQuietly, debounce.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    watchThread.interrupt();
    try {
      if (watchService != null) {
        watchService.close();
      }
    } catch (IOException e) {
      LOG.debug("event=keyset_watch_close_failed reason=\"{}\"", e.getMessage());
    }
    scans.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
