package io.keepcluster.client.vertx.impl;

import io.keepcluster.client.vertx.KeepClusterAuthOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Holds the cluster's keys as an immutable {@link KeySnapshot} behind a volatile field: readers
 * never lock. One refresh runs at a time; every caller that needs it meanwhile shares its future.
 *
 * <ul>
 *   <li>A snapshot is used until {@code refreshAt} = fetch time + the server's {@code max-age},
 *       kept between {@code minCacheTime} and {@code maxCacheTime}; the first lookup after that
 *       refetches first (no timer runs when no token arrives).</li>
 *   <li>A kid missing from a current snapshot causes a refetch at most once per
 *       {@code unknownKidRefetchInterval}; within the interval the token is refused without a
 *       fetch (or waits for the refresh already running).</li>
 *   <li>A failed fetch keeps the last good snapshot and tries again after {@code minCacheTime}.
 *       A successful fetch replaces it whole, an empty key set included: keys the cluster stopped
 *       publishing stop verifying, and an empty set verifies nothing.</li>
 * </ul>
 */
public final class KeySetCache {

  /** Issuers named by discovery are remembered up to this many, newest kept. */
  static final int MAX_REMEMBERED_ISSUERS = 32;

  private static final Logger LOG = System.getLogger(KeySetCache.class.getName());

  private final Supplier<Future<JwksFetcher.FetchedKeys>> fetch;
  private final String source;
  private final Clock clock;
  private final Duration minCacheTime;
  private final Duration maxCacheTime;
  private final Duration unknownKidRefetchInterval;
  private final Set<String> configuredIssuers;

  private volatile KeySnapshot snapshot;
  private final AtomicReference<Future<KeySnapshot>> inFlight = new AtomicReference<>();
  private final AtomicReference<Instant> lastUnknownKidRefetch = new AtomicReference<>();
  /** Written only by the one running refresh. */
  private volatile List<String> discoveredIssuers = List.of();

  public KeySetCache(Supplier<Future<JwksFetcher.FetchedKeys>> fetch, KeepClusterAuthOptions options,
      Clock clock) {
    this.fetch = fetch;
    this.source = options.source();
    this.clock = clock;
    this.minCacheTime = options.minCacheTime();
    this.maxCacheTime = options.maxCacheTime();
    this.unknownKidRefetchInterval = options.unknownKidRefetchInterval();
    this.configuredIssuers = options.issuers();
  }

  /** The snapshot now, without fetching; empty before the first successful fetch. */
  public Optional<KeySnapshot> current() {
    return Optional.ofNullable(snapshot);
  }

  /**
   * The snapshot to verify a token with this kid against: the current one, or a fresher one when
   * it is stale or (within the rate limit) lacks the kid. Fails only while no fetch ever worked.
   */
  public Future<KeySnapshot> snapshotFor(String kid) {
    KeySnapshot current = snapshot;
    Instant now = clock.instant();
    if (current == null || current.isStale(now)) {
      return refresh();
    }
    if (current.keys().containsKey(kid)) {
      return Future.succeededFuture(current);
    }
    if (claimUnknownKidRefetch(now)) {
      LOG.log(Level.DEBUG, "event=jwks_refetch_unknown_kid kid={0} source={1}", kid, source);
      return refresh();
    }
    Future<KeySnapshot> running = inFlight.get();
    return running != null ? running : Future.succeededFuture(current);
  }

  /** Fetches now, or joins the fetch already running. Fails only while no fetch ever worked. */
  public Future<KeySnapshot> refresh() {
    while (true) {
      Future<KeySnapshot> running = inFlight.get();
      if (running != null) {
        return running;
      }
      Promise<KeySnapshot> promise = Promise.promise();
      if (inFlight.compareAndSet(null, promise.future())) {
        start(promise);
        return promise.future();
      }
    }
  }

  private boolean claimUnknownKidRefetch(Instant now) {
    Instant last = lastUnknownKidRefetch.get();
    if (last != null && now.isBefore(last.plus(unknownKidRefetchInterval))) {
      return false;
    }
    return lastUnknownKidRefetch.compareAndSet(last, now);
  }

  private void start(Promise<KeySnapshot> promise) {
    Future<JwksFetcher.FetchedKeys> fetched;
    try {
      fetched = fetch.get();
    } catch (RuntimeException e) {
      fetched = Future.failedFuture(e);
    }
    fetched.onComplete(result -> {
      KeySnapshot previous = snapshot;
      Instant now = clock.instant();
      KeySnapshot next;
      if (result.succeeded()) {
        next = replace(previous, result.result(), now);
      } else {
        LOG.log(Level.WARNING, "event=jwks_refresh_failed source={0} reason=\"{1}\" kept_keys={2}",
            source, result.cause().getMessage(), previous == null ? 0 : previous.keys().size());
        next = previous == null ? null : previous.retryAt(now.plus(minCacheTime));
      }
      snapshot = next;
      inFlight.set(null);
      if (next != null) {
        promise.complete(next);
      } else {
        promise.fail(result.cause());
      }
    });
  }

  private KeySnapshot replace(KeySnapshot previous, JwksFetcher.FetchedKeys fetched, Instant now) {
    fetched.discoveredIssuer().ifPresent(this::rememberIssuer);
    Set<String> issuers = new HashSet<>(configuredIssuers);
    issuers.addAll(discoveredIssuers);
    Duration ttl = clamp(fetched.maxAge().orElse(minCacheTime));
    KeySnapshot next = new KeySnapshot(fetched.keys(), issuers, now, now.plus(ttl));
    Set<String> before = previous == null ? Set.of() : previous.keys().keySet();
    Set<String> after = next.keys().keySet();
    if (!before.equals(after)) {
      Set<String> added = new TreeSet<>(after);
      added.removeAll(before);
      Set<String> removed = new TreeSet<>(before);
      removed.removeAll(after);
      LOG.log(after.isEmpty() ? Level.WARNING : Level.INFO,
          "event=jwks_changed source={0} keys={1} added={2} removed={3} next_refresh_s={4}",
          source, after.size(), added, removed, ttl.toSeconds());
    } else {
      LOG.log(Level.DEBUG, "event=jwks_refreshed source={0} keys={1} next_refresh_s={2}", source,
          after.size(), ttl.toSeconds());
    }
    return next;
  }

  private void rememberIssuer(String issuer) {
    LinkedHashSet<String> updated = new LinkedHashSet<>(discoveredIssuers);
    updated.remove(issuer);
    updated.add(issuer);
    List<String> ordered = new ArrayList<>(updated);
    if (ordered.size() > MAX_REMEMBERED_ISSUERS) {
      ordered = ordered.subList(ordered.size() - MAX_REMEMBERED_ISSUERS, ordered.size());
    }
    discoveredIssuers = List.copyOf(ordered);
  }

  private Duration clamp(Duration maxAge) {
    if (maxAge.compareTo(minCacheTime) < 0) {
      return minCacheTime;
    }
    return maxAge.compareTo(maxCacheTime) > 0 ? maxCacheTime : maxAge;
  }
}
