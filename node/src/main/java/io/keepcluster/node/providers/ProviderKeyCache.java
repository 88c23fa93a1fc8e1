package io.keepcluster.node.providers;

import io.keepcluster.node.keys.VerifyingCredential;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider's keys as an immutable {@link ProviderKeySnapshot} behind a volatile field: the
 * verify path reads it without locking and never waits for the network. One refresh runs at a
 * time and publishes the next snapshot whole.
 *
 * <ul>
 *   <li>Refreshed on a timer: the server's {@code max-age}, bounded by {@link RefreshRules}.</li>
 *   <li>A kid missing from the snapshot starts a refetch at most once per
 *       {@link RefreshRules#unknownKidInterval()}; that token is refused now, the next one with the
 *       kid verifies once the refetch is in.</li>
 *   <li>A successful fetch replaces the keys whole: keys the provider stopped publishing stop
 *       verifying. A failed one (unreachable, garbage, oversized, no usable key) keeps the cached
 *       keys and only changes the status.</li>
 * </ul>
 * A static-key provider is a cache that never fetches.
 */
final class ProviderKeyCache implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderKeyCache.class);

  private final String name;
  private final Supplier<Future<JwksFetcher.Fetched>> fetcher;
  private final Vertx vertx;
  private final Clock clock;
  private final RefreshRules rules;
  private volatile ProviderKeySnapshot snapshot;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final AtomicReference<Instant> lastUnknownKidRefetch = new AtomicReference<>();
  private final AtomicLong timer = new AtomicLong(-1);
  private volatile boolean closed;

  private ProviderKeyCache(String name, ProviderKeySnapshot initial,
      Supplier<Future<JwksFetcher.Fetched>> fetcher, Vertx vertx, Clock clock, RefreshRules rules) {
    this.name = name;
    this.snapshot = initial;
    this.fetcher = fetcher;
    this.vertx = vertx;
    this.clock = clock;
    this.rules = rules;
  }

  /** Keys fetched from the provider; the first fetch starts at once. */
  static ProviderKeyCache fetching(String name, Supplier<Future<JwksFetcher.Fetched>> fetcher,
      Vertx vertx, Clock clock, RefreshRules rules) {
    ProviderKeyCache cache = new ProviderKeyCache(name, ProviderKeySnapshot.notFetchedYet(), fetcher,
        vertx, clock, rules);
    cache.refresh();
    return cache;
  }

  /** A fixed key set (a static {@code keyFile}, or none for an inactive provider). */
  static ProviderKeyCache fixed(String name, ProviderKeySnapshot keys) {
    return new ProviderKeyCache(name, keys, null, null, Clock.systemUTC(), RefreshRules.DEFAULT);
  }

  ProviderKeySnapshot snapshot() {
    return snapshot;
  }

  /**
   * The key with this kid, from the snapshot as it is now. An unknown kid may start a refetch
   * (rate limited); this call never waits for it.
   */
  Optional<VerifyingCredential> key(String kid) {
    VerifyingCredential key = kid == null ? null : snapshot.keys().get(kid);
    if (key == null && fetcher != null && claimUnknownKidRefetch()) {
      LOG.info("event=provider_refetch_unknown_kid provider={}", name);
      refresh();
    }
    return Optional.ofNullable(key);
  }

  private boolean claimUnknownKidRefetch() {
    Instant now = clock.instant();
    Instant last = lastUnknownKidRefetch.get();
    if (last != null && now.isBefore(last.plus(rules.unknownKidInterval()))) {
      return false;
    }
    return lastUnknownKidRefetch.compareAndSet(last, now);
  }

  /** Starts a fetch unless one is running. */
  void refresh() {
    if (closed || fetcher == null || !refreshing.compareAndSet(false, true)) {
      return;
    }
    Future<JwksFetcher.Fetched> fetched;
    try {
      fetched = fetcher.get();
    } catch (RuntimeException e) {
      fetched = Future.failedFuture(e);
    }
    fetched.onComplete(result -> {
      Duration next;
      ProviderKeySnapshot previous = snapshot;
      if (result.succeeded()) {
        Map<String, VerifyingCredential> keys = result.result().keys();
        snapshot = ProviderKeySnapshot.fresh(keys, clock.instant());
        next = rules.ttl(result.result().maxAge());
        LOG.info("event=provider_keys_refreshed provider={} kids={} next_refresh_s={}", name,
            snapshot.kids(), next.toSeconds());
      } else {
        Throwable cause = result.cause();
        ProviderStatus status = cause instanceof KeysUnavailableException e
            && e.kind() == KeysUnavailableException.Kind.INVALID
            ? ProviderStatus.ERROR : ProviderStatus.UNREACHABLE;
        String problem = cause instanceof KeysUnavailableException ? cause.getMessage()
            : cause.getClass().getSimpleName();
        snapshot = previous.failed(status, problem);
        next = rules.retryAfterFailure();
        LOG.warn("event=provider_keys_refresh_failed provider={} status={} kept_kids={} reason=\"{}\"",
            name, status.label(), previous.kids(), problem);
      }
      refreshing.set(false);
      schedule(next);
    });
  }

  private void schedule(Duration delay) {
    if (closed) {
      return;
    }
    long previous = timer.getAndSet(vertx.setTimer(Math.max(1, delay.toMillis()), id -> refresh()));
    if (previous >= 0) {
      vertx.cancelTimer(previous);
    }
  }

  @Override
  public void close() {
    closed = true;
    long id = timer.getAndSet(-1);
    if (id >= 0 && vertx != null) {
      vertx.cancelTimer(id);
    }
  }
}
