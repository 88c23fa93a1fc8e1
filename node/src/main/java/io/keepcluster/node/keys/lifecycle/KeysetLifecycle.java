package io.keepcluster.node.keys.lifecycle;

import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.logging.Audit;
import io.keepcluster.node.keys.KeysetScan;
import io.keepcluster.node.keys.lifecycle.KeysetAction.Ack;
import io.keepcluster.node.keys.lifecycle.KeysetAction.DeleteFiles;
import io.keepcluster.node.keys.lifecycle.KeysetAction.Expire;
import io.keepcluster.node.keys.lifecycle.KeysetAction.Forget;
import io.keepcluster.node.keys.lifecycle.KeysetAction.LoadVerifying;
import io.keepcluster.node.keys.lifecycle.KeysetAction.MarkCopyRetired;
import io.keepcluster.node.keys.lifecycle.KeysetAction.MarkSignable;
import io.keepcluster.node.keys.lifecycle.KeysetAction.Persist;
import io.keepcluster.node.keys.lifecycle.KeysetAction.Publish;
import io.keepcluster.node.keys.lifecycle.KeysetAction.ReportProblem;
import io.keepcluster.node.keys.lifecycle.KeysetAction.RetireInStore;
import io.keepcluster.node.keys.lifecycle.KeysetAction.RetireLocally;
import io.keepcluster.node.keys.lifecycle.KeysetAction.RevokeInStore;
import io.keepcluster.node.status.ProblemReporter;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetLoadException;
import io.keepcluster.shared.keys.KeysetLoader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the keyset lifecycle of this node, alone or in a cluster: on one thread, each pass reads
 * the store, asks the {@link KeysetPlanner} what to do and does it to the store, the
 * {@link KeysetRegistry} and the folder. Scans, store changes and a periodic tick only trigger a
 * pass; the tick is the backstop for a lost event. A tick is skipped while nothing the planner reads
 * can have changed (no new scan, no store change, no deadline reached, and the last pass settled
 * with nothing to do and no problem to report), because planning over 1,000 idle keysets every
 * second was most of an idle node's CPU; a full pass still runs every {@link #FULL_PASS_EVERY}.
 *
 * <p>A node that is not {@linkplain #KeysetLifecycle trusted} (wrong cluster secret) applies and
 * publishes nothing and says so on {@code /health}.
 */
public final class KeysetLifecycle implements Consumer<KeysetScan>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KeysetLifecycle.class);
  /** A plan whose publish lost a race is planned again with the winner; this bounds the retries. */
  private static final int MAX_REPLANS = 3;
  /** How long a scan waits for its pass before the scan thread moves on. */
  private static final Duration SCAN_WAIT = Duration.ofSeconds(10);
  /** Longest time between two passes that are really run, whatever the skipping logic says. */
  static final Duration FULL_PASS_EVERY = Duration.ofSeconds(20);

  private final String nodeId;
  private final KeysetStore store;
  private final KeysetRegistry registry;
  private final KeysetPersistence persistence;
  private final ProblemReporter problems;
  private final KeysetPlanner planner;
  private final Clock clock;
  private final BooleanSupplier trusted;
  private final KeysetLoader loader = new KeysetLoader();
  /** Records published before this node started are old news, not replication lag. */
  private final Instant startedAt;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean passQueued = new AtomicBoolean();
  /** Keysets opened from records, by fingerprint (loading parses and checks keys: not free). */
  private final Map<String, Keyset> opened = new HashMap<>();
  private volatile KeysetScan lastScan = new KeysetScan(Map.of(), Set.of(), Map.of());
  private volatile Map<String, List<String>> verifiedBy = Map.of();
  private volatile Map<String, Instant> signingAt = Map.of();
  /** The instant a pass is already scheduled for (a keyset's lead ends), to schedule each once. */
  private Instant wakeScheduled = Instant.MIN;
  private KeysetMemory memory = KeysetMemory.EMPTY;
  private volatile boolean scanArrived;
  private volatile boolean firstScanReported;
  /** Set by anything that may change the next plan; cleared when a pass starts reading. */
  private final AtomicBoolean dirty = new AtomicBoolean(true);
  /** What the last pass that ran saw and found (touched on the executor thread only). */
  private boolean lastPassSettled;
  private KeysetScan lastPassScan;
  private boolean lastPassTrusted;
  private Optional<Instant> lastPassDeadline = Optional.empty();
  private long lastPassNanos;
  private List<String> lastPassMembers = List.of();

  /**
   * @param trusted false while this node cannot prove the cluster secret: it then touches nothing
   */
  public KeysetLifecycle(String nodeId, KeysetStore store, KeysetRegistry registry, KeysetPersistence persistence,
      ProblemReporter problems, KeysetPlanner planner, Clock clock, BooleanSupplier trusted) {
    this.nodeId = nodeId;
    this.store = store;
    this.registry = registry;
    this.persistence = persistence;
    this.problems = problems;
    this.planner = planner;
    this.clock = clock;
    this.trusted = trusted;
    this.startedAt = clock.instant();
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "keepcluster-keysets");
      thread.setDaemon(true);
      return thread;
    });
    registry.nodesOf(kid -> verifiedBy.getOrDefault(kid, List.of()));
    registry.signingAt(kid -> Optional.ofNullable(signingAt.get(kid)));
  }

  /** Subscribes to store changes, runs the first pass (blocking) and then one every {@code periodic}. */
  public void start(Duration periodic) throws InterruptedException, ExecutionException, TimeoutException {
    if (!trusted.getAsBoolean()) {
      LOG.error("event=cluster_secret_mismatch node={} action=applying_and_publishing_nothing", nodeId);
    }
    store.onChange(this::changed);
    passNow().get(60, TimeUnit.SECONDS);
    executor.scheduleWithFixedDelay(this::tick, periodic.toMillis(), periodic.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Whether this node proved the cluster secret (and so applies and publishes keysets). */
  public boolean trusted() {
    return trusted.getAsBoolean();
  }

  /** The watcher's sink: remember the scan and apply it; returns once applied (or after a bound). */
  @Override
  public void accept(KeysetScan scan) {
    KeysetScan previous = lastScan;
    lastScan = scan;
    boolean unchanged = scanArrived && firstScanReported && scan.sameFindings(previous);
    scanArrived = true;
    if (unchanged) {
      // The scanner answered its last findings again (nothing in the folder changed): there is
      // nothing new to plan, and an idle node with 1,000 keysets does not plan for nothing.
      return;
    }
    dirty.set(true);
    try {
      passNow().get(SCAN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("event=keyset_pass_slow node={} reason=\"{}\"", nodeId, e.toString());
    }
  }

  /** Runs a pass now (after any queued one); the future completes when it is done. */
  public Future<?> passNow() {
    return executor.submit(this::passQuietly);
  }

  /**
   * Removes {@code kid} everywhere at once (management "revoke"): a tombstone keeps any node from
   * publishing it again, and every node forgets it and deletes its files. Blocking.
   *
   * @return false when the cluster has no such live keyset
   */
  public boolean revoke(String kid) {
    try {
      return executor.submit(() -> {
        Optional<RevokeInStore> revoke = planner.revoke(kid, store.records());
        if (revoke.isEmpty() || !trusted.getAsBoolean()) {
          return false;
        }
        store.update(revoke.get().revoked());
        dirty.set(true);
        LOG.warn("event=keyset_revoked kid={} node={}", kid, nodeId);
        passQuietly();
        return true;
      }).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while revoking " + kid, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot revoke " + kid + ": " + e.getMessage(), e);
    }
  }

  /**
   * Retires {@code kid} everywhere (management "retire"), exactly as removing its files would: it
   * stops signing on every node and keeps verifying until its tokens have expired. Blocking.
   *
   * @return false when the cluster has no published keyset with this kid (unknown, or already
   *     retiring, expired or revoked)
   */
  public boolean retire(String kid) {
    try {
      return executor.submit(() -> {
        Optional<RetireInStore> retire = planner.retire(kid, store.records(), clock.instant());
        if (retire.isEmpty() || !trusted.getAsBoolean()) {
          return false;
        }
        store.update(retire.get().retired());
        dirty.set(true);
        LOG.info("event=keyset_retired_cluster_wide kid={} node={} by=management", kid, nodeId);
        passQuietly();
        return true;
      }).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retiring " + kid, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot retire " + kid + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs a pass when a keyset's rollover lead ends, so it starts signing on time rather than at
   * the next periodic tick.
   */
  private void wakeAt(Instant at) {
    if (at.equals(wakeScheduled)) {
      return;
    }
    wakeScheduled = at;
    long delayMillis = Math.max(0, Duration.between(clock.instant(), at).toMillis()) + 1;
    executor.schedule(this::trigger, delayMillis, TimeUnit.MILLISECONDS);
  }

  /** The store changed (records, acks or members): the next tick must plan. */
  private void changed() {
    dirty.set(true);
    trigger();
  }

  /** The periodic backstop: plans unless nothing the planner reads can have changed. */
  private void tick() {
    if (quiet()) {
      return;
    }
    passQuietly();
  }

  private boolean quiet() {
    // A newer scan with the same findings only differs in when it started, which the planner
    // reads for files this node wrote itself (persistedAt) and nothing else.
    if (dirty.get() || !lastPassSettled || !lastScan.sameFindings(lastPassScan)
        || !memory.persistedAt().isEmpty()
        || trusted.getAsBoolean() != lastPassTrusted
        // Admission (who proved the secret) may change without a membership event: a few ids.
        || !store.members().equals(lastPassMembers)
        || System.nanoTime() - lastPassNanos >= FULL_PASS_EVERY.toNanos()) {
      return false;
    }
    return lastPassDeadline.map(deadline -> clock.instant().isBefore(deadline)).orElse(true);
  }

  private void trigger() {
    if (passQueued.compareAndSet(false, true)) {
      executor.execute(this::passQuietly);
    }
  }

  private void passQuietly() {
    passQueued.set(false);
    dirty.set(false); // a change from now on marks it again
    lastPassSettled = false;
    lastPassNanos = System.nanoTime();
    try {
      pass();
    } catch (RuntimeException e) {
      // The grid throws while a member merges or shuts down; the next pass tries again.
      LOG.warn("event=keyset_pass_failed node={} reason=\"{}\"", nodeId, e.toString());
    }
  }

  private void pass() {
    KeysetScan scan = lastScan;
    lastPassScan = scan;
    lastPassTrusted = trusted.getAsBoolean();
    // At start-up nothing is being copied yet: the first scan's problems are reported at once.
    boolean firstScan = scanArrived && !firstScanReported;
    if (!trusted.getAsBoolean()) {
      // Why the node is untrusted (secret or grid) is the grid's to report, with its own kind.
      problems.update(scan.problems(), true);
      firstScanReported |= firstScan;
      return;
    }
    for (int attempt = 1; ; attempt++) {
      Map<String, KeysetRecord> records = store.records();
      Map<String, Map<String, String>> acks = new HashMap<>();
      records.forEach((kid, record) -> {
        if (!record.status().tombstone()) {
          acks.put(kid, store.acks(kid));
        }
      });
      Instant now = clock.instant();
      KeysetMemory before = memory;
      List<String> members = store.members();
      KeysetPlanner.Plan plan = planner.plan(new KeysetPlanner.Observation(scan, records, acks,
          members, registry.held(), memory, now));
      Optional<Map<String, String>> current = execute(plan);
      if (current.isPresent()) {
        // Settled: the same inputs would plan nothing again until time reaches the next deadline.
        lastPassSettled = lastPassTrusted && plan.actions().isEmpty() && memory.equals(before);
        lastPassDeadline = planner.nextDeadline(records, now);
        lastPassMembers = members;
        verifiedBy = plan.verifiedBy();
        signingAt = plan.signingAt();
        plan.nextSigningAt().ifPresent(this::wakeAt);
        problems.update(current.get(), firstScan);
        firstScanReported |= firstScan;
        return;
      }
      if (attempt >= MAX_REPLANS) {
        LOG.warn("event=keyset_pass_unsettled node={} attempts={}", nodeId, attempt);
        return;
      }
    }
  }

  /**
   * Carries out a plan in order. Returns the problems to report, or empty when a publish lost a
   * race (the rest of the plan assumed it won: plan again with the winner).
   */
  private Optional<Map<String, String>> execute(KeysetPlanner.Plan plan) {
    // The registry's changes of one plan become one key ring; acknowledgements (each one says
    // "this node verifies that keyset") go out only once that ring is published.
    List<Ack> acks = new ArrayList<>();
    registry.holdPublishing();
    try {
      return executeHeld(plan, acks);
    } finally {
      registry.releasePublishing();
      for (Ack a : acks) {
        store.ack(a.kid(), nodeId, a.fingerprint());
      }
    }
  }

  private Optional<Map<String, String>> executeHeld(KeysetPlanner.Plan plan, List<Ack> acks) {
    Map<String, String> current = new HashMap<>();
    Set<String> failed = new HashSet<>();
    KeysetMemory next = plan.next();
    for (KeysetAction action : plan.actions()) {
      if (!(action instanceof ReportProblem) && failed.contains(action.kid())) {
        continue;
      }
      if (action instanceof ReportProblem p) {
        current.put(p.file(), p.reason());
      } else if (action instanceof Publish p) {
        KeysetRecord winner = store.publishIfAbsent(p.record());
        if (!winner.fingerprint().equals(p.record().fingerprint())) {
          LOG.info("event=keyset_publish_lost kid={} node={} winner={}", p.kid(), nodeId, winner.origin());
          return Optional.empty();
        }
        LOG.info("event=keyset_published kid={} node={} status={}", p.kid(), nodeId,
            p.record().status().label());
        Audit.LOG.info("event=keyset_published kid={} alg={} node={} file={}.json status={}", p.kid(),
            Optional.ofNullable(lastScan.loaded().get(p.kid())).map(Keyset::jwsAlgorithm).orElse("-"),
            nodeId, p.kid(), p.record().status().label());
      } else if (action instanceof RetireInStore r) {
        store.update(r.retired());
        LOG.info("event=keyset_retired_cluster_wide kid={} node={}", r.kid(), nodeId);
      } else if (action instanceof RevokeInStore r) {
        store.update(r.revoked());
      } else if (action instanceof Expire e) {
        store.update(e.gone());
        LOG.info("event=keyset_expired kid={} reason=retired_tokens_expired", e.kid());
      } else if (action instanceof LoadVerifying l) {
        Optional<Keyset> keyset = open(l.record(), current);
        if (keyset.isEmpty()) {
          failed.add(l.kid());
        } else if (registry.put(keyset.get(), false) && !nodeId.equals(l.record().origin())) {
          replicated(l.record(), keyset.get());
        }
      } else if (action instanceof MarkSignable m) {
        if (!m.silent().isEmpty()) {
          LOG.warn("event=keyset_activation_fallback kid={} silent_members={}", m.kid(), m.silent());
        }
        // Audited before the registry may switch its signer to it (keyset_signing follows).
        Audit.LOG.info("event=keyset_activated kid={} alg={} node={} verified_by={}", m.kid(),
            registry.get(m.kid()).map(Keyset::jwsAlgorithm).orElse("-"), nodeId, m.verifiedBy());
        registry.markSignable(m.kid());
        LOG.info("event=keyset_signable kid={} node={} verified_by={}", m.kid(), nodeId, m.verifiedBy());
      } else if (action instanceof RetireLocally r) {
        registry.retire(r.kid(), r.at());
      } else if (action instanceof Persist p) {
        if (persistence.persist(p.record(), current)) {
          next = next.persisted(p.kid(), p.record().fingerprint(), System.nanoTime());
        }
      } else if (action instanceof MarkCopyRetired m) {
        persistence.markRetired(m.kid());
      } else if (action instanceof DeleteFiles d) {
        persistence.delete(d.kid());
      } else if (action instanceof Ack a) {
        acks.add(a);
      } else if (action instanceof Forget f) {
        registry.get(f.kid()).ifPresent(k -> opened.remove(k.fingerprint()));
        registry.remove(f.kid());
      }
    }
    memory = next;
    return Optional.of(current);
  }

  /** A keyset from another node is in use here: audited, and its lag measured when it is news. */
  private void replicated(KeysetRecord record, Keyset keyset) {
    Instant now = clock.instant();
    Duration lag = Duration.between(record.publishedAt(), now);
    if (!record.publishedAt().isBefore(startedAt)) {
      registry.replicated(lag);
    }
    Audit.LOG.info("event=keyset_replicated kid={} alg={} node={} origin={} lag_ms={}", record.kid(),
        keyset.jwsAlgorithm(), nodeId, record.origin(), Math.max(0, lag.toMillis()));
  }

  private Optional<Keyset> open(KeysetRecord record, Map<String, String> current) {
    Keyset cached = opened.get(record.fingerprint());
    if (cached != null && cached.kid().equals(record.kid())) {
      return Optional.of(cached);
    }
    try {
      Keyset keyset = loader.load(record.files());
      if (!keyset.fingerprint().equals(record.fingerprint())) {
        throw new KeysetLoadException(record.kid() + ".json", "fingerprint does not match the record");
      }
      opened.put(record.fingerprint(), keyset);
      return Optional.of(keyset);
    } catch (KeysetLoadException e) {
      current.put(record.kid() + " (replicated)", e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
