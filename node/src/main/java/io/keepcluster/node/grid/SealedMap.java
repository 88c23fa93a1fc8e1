package io.keepcluster.node.grid;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.map.listener.MapEvictedListener;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Hazelcast map used as an untrusted transport for authentic, versioned records.
 *
 * <p>This node keeps its own copy of every authentic record it has seen ("held") and answers
 * every read from it, so nothing a member does to the grid takes effect unless it authenticates:
 * <ul>
 *   <li>a value that does not open (no secret, altered, copied under another key) is never
 *       applied; where this node holds a record for that key, it is put back;
 *   <li>an authentic record older than the one held (a replay) is never applied and is repaired;
 *   <li>an entry removed, evicted or cleared before its own expiry is put back: there is no
 *       physical delete in this protocol, a delete is an authentic newer record saying so.
 * </ul>
 * Writes go to the held copy first and then to the grid, so they survive a lost member and are
 * re-published when it rejoins. Entry events drive repairs; a slower periodic {@link #reconcile()}
 * (and one on every join and membership change) is the backstop for lost events.
 */
public final class SealedMap {

  private static final Logger LOG = LoggerFactory.getLogger(SealedMap.class);
  /** Grid entries outlive their record a little, so a node with a slower clock does not repair them. */
  private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(5);
  /** The periodic full read waits at least this many times its own duration: at most 1 % of a core. */
  private static final long BACKSTOP_SHARE = 100;
  /** Entries read per request by {@link #reconcile()}. */
  private static final int RECONCILE_CHUNK = 1000;

  private record Held(GridValue value, String envelope) {}

  private final String name;
  private final String writer;
  private final RecordCodec codec;
  private final GridMember grid;
  private final GridAudit audit;
  private final Clock clock;
  private final boolean gated;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  /** Keys whose held record has an expiry: the only ones {@link #purgeExpired} looks at. */
  private final Set<String> expiring = ConcurrentHashMap.newKeySet();
  // Owned by the grid's maintenance thread.
  private long lastReconcile = System.nanoTime();
  private long lastReconcileCost;
  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Consumer<String>> keyListeners = new CopyOnWriteArrayList<>();
  private volatile GridTrust trust = GridTrust.SELF_ONLY;

  /**
   * @param gated false only for the admission map: a node must be able to prove itself before it
   *     is confirmed; every other map writes only once the node's secret is confirmed
   */
  SealedMap(String name, String type, String writer, RecordSeal seal, GridMember grid, GridAudit audit,
      Clock clock, boolean gated) {
    this.name = name;
    this.writer = writer;
    this.codec = new RecordCodec(name, type, seal);
    this.grid = grid;
    this.audit = audit;
    this.clock = clock;
    this.gated = gated;
    grid.onJoin(this::attach);
  }

  public String name() {
    return name;
  }

  void trust(GridTrust trust) {
    this.trust = trust;
  }

  /** The authentic value of {@code key}, from this node's copy (never blocks, never remote). */
  public Optional<JsonObject> get(String key) {
    return record(key).map(GridValue::value);
  }

  public Optional<GridValue> record(String key) {
    Held h = held.get(key);
    return h == null || h.value().expiredAt(clock.instant()) ? Optional.empty() : Optional.of(h.value());
  }

  /** Every authentic, unexpired record, by key. */
  public Map<String, GridValue> records() {
    Instant now = clock.instant();
    Map<String, GridValue> result = new LinkedHashMap<>();
    held.forEach((key, h) -> {
      if (!h.value().expiredAt(now)) {
        result.put(key, h.value());
      }
    });
    return result;
  }

  /** Called after every authentic change (any thread): keep it cheap, e.g. schedule a pass. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Called with the key after every authentic change of it (any thread), so a consumer can apply
   * deltas instead of copying the whole map: keep it cheap, e.g. note the key and schedule a pass.
   */
  public void onKeyChange(Consumer<String> listener) {
    keyListeners.add(listener);
  }

  /** Writes {@code value} as the newest record of {@code key}. */
  public GridValue put(String key, JsonObject value) {
    return put(key, value, Optional.empty());
  }

  public GridValue put(String key, JsonObject value, Optional<Instant> expires) {
    Held mine = hold(key, value, expires);
    // Asynchronous, so a caller on an event loop never waits for the grid; a write that fails is
    // kept here and published by the next reconcile (or after a rejoin).
    grid.running().filter(i -> writable()).ifPresent(instance -> {
      try {
        map(instance).setAsync(key, mine.envelope(), ttlSeconds(mine.value()), TimeUnit.SECONDS)
            .whenComplete((ignored, failure) -> {
              if (failure != null) {
                LOG.debug("event=grid_write_deferred map={} key={} reason=\"{}\"", name, key, failure.toString());
                repairLater(key);
              }
            });
      } catch (RuntimeException e) {
        LOG.debug("event=grid_write_deferred map={} key={} reason=\"{}\"", name, key, e.toString());
        repairLater(key);
      }
    });
    return mine.value();
  }

  /**
   * Publishes {@code value} unless the cluster already has an authentic record for {@code key};
   * answers the record that won. An unauthentic entry in the way is treated as absent.
   */
  public GridValue putIfAbsent(String key, JsonObject value) {
    Optional<GridValue> known = record(key);
    if (known.isPresent()) {
      return known.get();
    }
    Optional<HazelcastInstance> instance = grid.running().filter(i -> writable());
    if (instance.isEmpty()) {
      return hold(key, value, Optional.empty()).value();
    }
    IMap<String, String> map = map(instance.get());
    Held mine = envelope(key, value, Optional.empty(), 0);
    String previous = map.putIfAbsent(key, mine.envelope());
    if (previous != null) {
      Optional<GridValue> theirs = accept(key, previous, null);
      if (theirs.isPresent()) {
        return theirs.get();
      }
      map.replace(key, previous, mine.envelope());
    }
    store(key, mine);
    changed(key);
    return record(key).orElse(mine.value());
  }

  /**
   * Reads, changes and writes {@code key} under the grid's lock for that key, so concurrent
   * updates from several nodes never lose one another (e.g. failed-login counts).
   */
  public GridValue update(String key, Function<Optional<JsonObject>, JsonObject> next,
      Optional<Instant> expires) {
    Optional<HazelcastInstance> instance = grid.running().filter(i -> writable());
    if (instance.isEmpty()) {
      synchronized (this) {
        return hold(key, next.apply(get(key)), expires).value();
      }
    }
    IMap<String, String> map = map(instance.get());
    map.lock(key);
    try {
      String current = map.get(key);
      if (current != null) {
        accept(key, current, null);
      }
      Held mine = hold(key, next.apply(get(key)), expires);
      map.set(key, mine.envelope(), ttlSeconds(mine.value()), TimeUnit.SECONDS);
      return mine.value();
    } finally {
      map.unlock(key);
    }
  }

  /**
   * The backstop pass: applies authentic records missed by events, repairs what is missing,
   * older or unauthentic, and drops expired records. Blocking; call from one maintenance thread.
   */
  void reconcile() {
    purgeExpired();
    Optional<HazelcastInstance> instance = grid.running();
    if (instance.isEmpty()) {
      return;
    }
    IMap<String, String> map = map(instance.get());
    // In chunks: a copy of a map of 100,000 users (~60 MB of envelopes) at once does not fit the
    // launcher's heap beside this node's own copy. Only the keys are held for the whole pass.
    List<String> keys = new ArrayList<>(map.keySet());
    Set<String> matching = new HashSet<>();
    for (int from = 0; from < keys.size(); from += RECONCILE_CHUNK) {
      Set<String> chunk = new HashSet<>(keys.subList(from, Math.min(keys.size(), from + RECONCILE_CHUNK)));
      map.getAll(chunk).forEach((key, envelope) -> {
        Held h = held.get(key);
        if (h == null || !h.envelope().equals(envelope)) {
          accept(key, envelope, null);
        }
        Held after = held.get(key);
        if (after != null && after.envelope().equals(envelope)) {
          matching.add(key);
        }
      });
    }
    if (!writable()) {
      return;
    }
    Instant now = clock.instant();
    held.forEach((key, h) -> {
      if (!h.value().expiredAt(now) && !matching.contains(key)) {
        repair(map, key, h);
      }
    });
  }

  /** Registers for this instance's events (on the first join and on every rejoin). */
  private void attach(HazelcastInstance instance) {
    map(instance).addEntryListener(new Events(), true);
  }

  /**
   * Applies an authentic record that is newer than the held one; answers the held record after.
   * {@code from} is the member that wrote it when an event told us, else null.
   */
  private Optional<GridValue> accept(String key, String envelope, Member from) {
    GridValue incoming;
    try {
      incoming = codec.decode(key, envelope);
    } catch (UnauthenticatedRecordException e) {
      audit.refused(GridAudit.Offence.UNAUTHENTICATED, name, key, address(from), claimedNode(from),
          e.getMessage());
      scheduleRepair(key);
      return record(key);
    }
    Held before = held.get(key);
    Held after = store(key, new Held(incoming, envelope));
    if (after != before && after.envelope().equals(envelope)) {
      if (!incoming.expiredAt(clock.instant())) {
        changed(key);
      }
    } else if (before != null && before.value().version() > incoming.version()) {
      if (from == null || !trust.admitted(from)) {
        audit.refused(GridAudit.Offence.REPLAYED, name, key, address(from), claimedNode(from),
            "version " + incoming.version() + " is older than " + before.value().version());
      }
      scheduleRepair(key);
    }
    return record(key);
  }

  /** An entry vanished from the grid: unless its record had expired, that was no authentic delete. */
  private void vanished(String key, Member from) {
    Held h = held.get(key);
    if (h != null && !h.value().expiredAt(clock.instant())) {
      if (from == null || !trust.admitted(from)) {
        audit.refused(GridAudit.Offence.DELETED, name, key, address(from), claimedNode(from),
            "removed while its record is still valid");
      }
      scheduleRepair(key);
    }
  }

  private void scheduleRepair(String key) {
    grid.maintenance().execute(() -> grid.running().filter(i -> writable()).ifPresent(instance -> {
      Held h = held.get(key);
      if (h != null && !h.value().expiredAt(clock.instant())) {
        repair(map(instance), key, h);
      }
    }));
  }

  /**
   * A write that failed is published again a second later (the full reconcile is only a slow
   * backstop); a rejoin re-publishes everything anyway.
   */
  private void repairLater(String key) {
    try {
      grid.maintenance().schedule(() -> scheduleRepair(key), 1, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      LOG.debug("event=grid_repair_not_scheduled map={} key={}", name, key);
    }
  }

  private void repair(IMap<String, String> map, String key, Held h) {
    try {
      String current = map.get(key);
      if (h.envelope().equals(current)) {
        return;
      }
      if (current != null) {
        Optional<GridValue> now = accept(key, current, null);
        if (now.isPresent() && now.get().version() > h.value().version()) {
          return;
        }
      }
      map.set(key, held.get(key).envelope(), ttlSeconds(held.get(key).value()), TimeUnit.SECONDS);
      LOG.info("event=grid_record_repaired map={} key={} version={}", name, key, h.value().version());
    } catch (RuntimeException e) {
      LOG.debug("event=grid_repair_deferred map={} key={} reason=\"{}\"", name, key, e.toString());
    }
  }

  private Held hold(String key, JsonObject value, Optional<Instant> expires) {
    Held before = held.get(key);
    long floor = before == null ? 0 : before.value().version() + 1;
    Held mine = envelope(key, value, expires, floor);
    store(key, mine);
    changed(key);
    return mine;
  }

  private Held envelope(String key, JsonObject value, Optional<Instant> expires, long floor) {
    long version = Math.max(clock.millis(), floor);
    GridValue record = new GridValue(key, version, writer, value, expires);
    return new Held(record, codec.encode(record));
  }

  /** The total order of records of one key: version, then the envelope text as a tie-break. */
  private static Held newer(Held a, Held b) {
    int byVersion = Long.compare(a.value().version(), b.value().version());
    if (byVersion != 0) {
      return byVersion > 0 ? a : b;
    }
    return a.envelope().compareTo(b.envelope()) >= 0 ? a : b;
  }

  /**
   * Keeps the newer of the held record and {@code incoming}; notes the key when its record can
   * expire. Under the key's lock in {@link #held}, so {@link #purgeExpired} never loses a note.
   */
  private Held store(String key, Held incoming) {
    return held.compute(key, (k, before) -> {
      Held after = before == null ? incoming : newer(before, incoming);
      if (after.value().expires().isPresent()) {
        expiring.add(k);
      }
      return after;
    });
  }

  /**
   * Drops expired records. Looks only at records that can expire: the users map (100,000 records
   * that never expire) used to be walked whole every upkeep pass, twice a second.
   */
  void purgeExpired() {
    Instant now = clock.instant();
    for (String key : expiring) {
      held.compute(key, (k, h) -> {
        if (h == null || h.value().expires().isEmpty() || h.value().expiredAt(now)) {
          expiring.remove(k);
          return h == null || h.value().expires().isEmpty() ? h : null;
        }
        return h;
      });
    }
  }

  /**
   * Runs {@link #reconcile()} when {@code forced} (a join, rejoin or membership change) or when
   * the backstop is due: every {@code every}, or less often for a map whose full read is slow, so
   * that the backstop never takes more than 1 % of a core (a full read of 100,000 users takes
   * about half a second). Otherwise only drops expired records.
   */
  void reconcileIfDue(boolean forced, Duration every) {
    long now = System.nanoTime();
    if (!forced && now - lastReconcile < Math.max(every.toNanos(), BACKSTOP_SHARE * lastReconcileCost)) {
      purgeExpired();
      return;
    }
    lastReconcile = now;
    reconcile();
    lastReconcileCost = System.nanoTime() - now;
  }

  private boolean writable() {
    return !gated || trust.confirmed();
  }

  private long ttlSeconds(GridValue value) {
    return value.expires()
        .map(at -> Math.max(1, Duration.between(clock.instant(), at).plus(EXPIRY_MARGIN).toSeconds()))
        .orElse(0L);
  }

  private void changed(String key) {
    listeners.forEach(Runnable::run);
    keyListeners.forEach(listener -> listener.accept(key));
  }

  private IMap<String, String> map(HazelcastInstance instance) {
    return instance.getMap(name);
  }

  private static String address(Member member) {
    return member == null ? "unknown" : member.getAddress().getHost() + ":" + member.getAddress().getPort();
  }

  private static String claimedNode(Member member) {
    String node = member == null ? null : member.getAttribute(GridMember.NODE_ATTRIBUTE);
    return node == null ? "-" : node;
  }

  /** Grid events only feed {@link #accept} and {@link #vanished}; they are hints, never trusted. */
  private final class Events implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryMergedListener<String, String>,
      EntryRemovedListener<String, String>, EntryEvictedListener<String, String>,
      EntryExpiredListener<String, String>, MapClearedListener, MapEvictedListener {

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      accept(event.getKey(), event.getValue(), event.getMember());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      accept(event.getKey(), event.getValue(), event.getMember());
    }

    @Override
    public void entryMerged(EntryEvent<String, String> event) {
      if (event.getValue() != null) {
        accept(event.getKey(), event.getValue(), event.getMember());
      }
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      vanished(event.getKey(), event.getMember());
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      vanished(event.getKey(), event.getMember());
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      vanished(event.getKey(), event.getMember());
    }

    @Override
    public void mapCleared(MapEvent event) {
      held.keySet().forEach(key -> vanished(key, event.getMember()));
    }

    @Override
    public void mapEvicted(MapEvent event) {
      held.keySet().forEach(key -> vanished(key, event.getMember()));
    }
  }
}
