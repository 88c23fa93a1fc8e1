package io.keepcluster.node.users;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Password hashing with a bound on the work a node takes on: at most {@code threads} hashes run
 * and at most {@code maxQueued} wait; anything beyond fails at once with
 * {@link HashingBusyException}, without hashing, so a login flood costs the flood its answers
 * and never costs an honest login unbounded latency. Logins and management Basic auth share it.
 */
public final class HashingPool {

  private final WorkerExecutor executor;
  private final int threads;
  private final int maxQueued;
  /** Admitted and not yet completed: running plus waiting. */
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final List<Promise<Void>> idleWaiters = new CopyOnWriteArrayList<>();

  /** {@code executor} must have {@code threads} threads; this pool only admits work to it. */
  public HashingPool(WorkerExecutor executor, int threads, int maxQueued) {
    if (threads < 1 || maxQueued < 0) {
      throw new IllegalArgumentException("threads must be >= 1 and maxQueued >= 0");
    }
    this.executor = executor;
    this.threads = threads;
    this.maxQueued = maxQueued;
  }

  /** Runs {@code work} on a hashing thread, or fails at once when the pool and its queue are full. */
  public <T> Future<T> submit(Callable<T> work) {
    if (admitted.incrementAndGet() > threads + maxQueued) {
      admitted.decrementAndGet();
      return Future.failedFuture(new HashingBusyException(threads, maxQueued));
    }
    return executor.<T>executeBlocking(() -> {
      running.incrementAndGet();
      try {
        return work.call();
      } finally {
        running.decrementAndGet();
      }
    }, false).andThen(done -> {
      if (admitted.decrementAndGet() == 0) {
        wakeIdleWaiters();
      }
    });
  }

  /**
   * Completes once no hash is running or waiting: a stopping node waits for this before it closes
   * the worker threads, so no admitted login is cut off with a rejected task.
   */
  public Future<Void> idle() {
    Promise<Void> waiter = Promise.promise();
    idleWaiters.add(waiter);
    // Checked after registering: a last hash that completed in between has already woken nobody.
    if (admitted.get() == 0) {
      wakeIdleWaiters();
    }
    return waiter.future();
  }

  private void wakeIdleWaiters() {
    for (Promise<Void> waiter : idleWaiters) {
      idleWaiters.remove(waiter);
      waiter.tryComplete();
    }
  }

  /** Hashes waiting for a thread. */
  public int queued() {
    return Math.max(0, admitted.get() - running.get());
  }

  /** Hashes being computed. */
  public int active() {
    return running.get();
  }

  public int threads() {
    return threads;
  }

  public int maxQueued() {
    return maxQueued;
  }
}
