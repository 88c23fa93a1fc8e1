package io.keepcluster.node.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.keepcluster.node.grid.Grid;
import io.keepcluster.node.grid.GridValue;
import io.keepcluster.node.grid.SealedMap;
import io.vertx.core.json.JsonObject;
import io.keepcluster.node.health.ProblemReporter;
import io.keepcluster.node.keys.KeysetConflict;
import io.keepcluster.node.keys.KeysetRegistry;
import io.keepcluster.node.keys.KeysetScan;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetLoadException;
import io.keepcluster.shared.keys.KeysetLoader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's keysets in step with the cluster. One idempotent {@link #reconcile()} pass,
 * always on one thread, compares three things and acts on the differences:
 *
 * <ol>
 *   <li>this node's folder (the last {@link KeysetScan}): new keysets are published with
 *       {@code putIfAbsent}, so the first copy of a NAME wins and a different copy is refused;
 *       removed or deactivated keysets are retired cluster-wide;
 *   <li>the replicated records: each is opened with the cluster secret, loaded as
 *       <em>verifying</em>, acknowledged, and persisted into this node's folder;
 *   <li>the acknowledgements: a keyset becomes signable once every live member verifies it (or
 *       after a bounded wait for a member that does not answer) — two-phase activation.
 * </ol>
 *
 * Entry, membership and scan events only trigger a pass; a periodic pass is the backstop, so a
 * lost event or a healed partition converges without special cases.
 */
public final class ClusterKeysetSync implements Consumer<KeysetScan>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterKeysetSync.class);
  private static final String SECRET_PROBLEM_FILE = "cluster";
  private static final Duration ACK_VALIDITY = Duration.ofHours(1);

  private final Grid grid;
  private final String nodeId;
  private final ClusterCipher cipher;
  private final KeysetRegistry registry;
  private final KeysetPersistence persistence;
  private final ProblemReporter problems;
  private final Clock clock;
  private final Duration ackTimeout;
  private final Duration maxTokenLifetime;
  private final SealedMap keysets;
  private final SealedMap acks;
  private final KeysetLoader loader = new KeysetLoader();
  private final ScheduledExecutorService executor;
  private final AtomicBoolean passQueued = new AtomicBoolean();
  private final Map<String, Keyset> opened = new HashMap<>();
  private final Map<String, String> localFingerprints = new HashMap<>();
  private final Map<String, Long> persistedAt = new HashMap<>();
  /** Kids whose files this node's folder has held (seen by a scan, or written by this node). */
  private final Set<String> seenHere = new HashSet<>();
  /** Retired kids whose local copy has been marked {@code "active": false} (once is enough). */
  private final Set<String> deactivatedHere = new HashSet<>();
  private volatile KeysetScan lastScan = new KeysetScan(Map.of(), Set.of(), Map.of());
  private volatile Map<String, List<String>> nodesByKid = Map.of();
  private Set<String> previouslyDescribed;

  public ClusterKeysetSync(Grid grid, SealedMap keysets, SealedMap acks, ClusterCipher cipher, KeysetRegistry registry,
      KeysetPersistence persistence, ProblemReporter problems, Clock clock, Duration ackTimeout,
      Duration maxTokenLifetime) {
    this.grid = grid;
    this.nodeId = grid.member().nodeId();
    this.cipher = cipher;
    this.registry = registry;
    this.persistence = persistence;
    this.problems = problems;
    this.clock = clock;
    this.ackTimeout = ackTimeout;
    this.maxTokenLifetime = maxTokenLifetime;
    this.keysets = keysets;
    this.acks = acks;
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "keepcluster-cluster-sync");
      thread.setDaemon(true);
      return thread;
    });
    registry.nodesOf(kid -> nodesByKid.getOrDefault(kid, List.of()));
  }

  /** Subscribes to changes and runs the initial pass; blocks until done. */
  public void start(Duration periodic) throws InterruptedException, ExecutionException, TimeoutException {
    keysets.onChange(this::trigger);
    acks.onChange(this::trigger);
    grid.member().onJoin(instance -> instance.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        trigger();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        trigger();
      }
    }));
    executor.submit(this::reconcileQuietly).get(60, TimeUnit.SECONDS);
    executor.scheduleWithFixedDelay(this::reconcileQuietly, periodic.toMillis(), periodic.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** True while this node cannot prove the cluster secret: it applies and publishes nothing. */
  public boolean secretMismatch() {
    return !grid.trust().confirmed();
  }

  /** The watcher's sink: remember the scan and reconcile soon. */
  @Override
  public void accept(KeysetScan scan) {
    lastScan = scan;
    trigger();
  }

  /**
   * Removes {@code kid} everywhere at once (management "revoke"): a tombstone keeps any node from
   * publishing it again, and every node deletes its copy.
   *
   * @return false when the cluster has no such keyset
   */
  public boolean revoke(String kid) {
    if (secretMismatch()) {
      // A node that cannot prove the secret takes no action on the cluster's keysets.
      return false;
    }
    Optional<KeysetRecord> record = keysets.get(kid).map(KeysetRecord::fromJson)
        .filter(KeysetRecord::live);
    if (record.isEmpty()) {
      return false;
    }
    keysets.put(kid, record.get().withState(KeysetRecord.State.REVOKED).toJsonObject());
    LOG.warn("event=keyset_revoked kid={} node={}", kid, nodeId);
    trigger();
    return true;
  }

  /** Runs a pass now (after any queued one); the future completes when it is done. */
  public java.util.concurrent.Future<?> passNow() {
    return executor.submit(this::reconcileQuietly);
  }

  private void trigger() {
    if (passQueued.compareAndSet(false, true)) {
      executor.execute(this::reconcileQuietly);
    }
  }

  private void reconcileQuietly() {
    passQueued.set(false);
    try {
      reconcile();
    } catch (RuntimeException e) {
      // Hazelcast throws while a member merges or shuts down; the next pass tries again.
      LOG.warn("event=cluster_sync_failed node={} reason=\"{}\"", nodeId, e.toString());
    }
  }

  void reconcile() {
    KeysetScan scan = lastScan;
    Map<String, String> current = new HashMap<>(scan.problems());
    if (secretMismatch()) {
      current.put(SECRET_PROBLEM_FILE, "KEEP_CLUSTER_SECRET does not match the cluster's secret:"
          + " this node applies no replicated keyset and publishes nothing");
      problems.update(current, true);
      return;
    }
    Instant now = clock.instant();
    Map<String, KeysetRecord> records = new HashMap<>();
    Map<String, KeysetRecord> ended = new HashMap<>();
    Map<String, String> tombstones = new HashMap<>();
    keysets.records().forEach((kid, value) -> {
      KeysetRecord record = KeysetRecord.fromJson(value.value());
      if (record.live()) {
        records.put(kid, record);
      } else {
        ended.put(kid, record);
        if (record.state() == KeysetRecord.State.REVOKED) {
          tombstones.put(kid, record.fingerprint());
        }
      }
    });
    Map<String, String> allAcks = new HashMap<>();
    acks.records().forEach((key, value) -> allAcks.put(key, value.value().getString("fingerprint")));

    publishLocal(scan, records, ended, current, now);
    retireRemoved(scan, records, now);
    applyRecords(records, allAcks, current);
    forgetVanished(records, tombstones);
    activate(records, allAcks, now);
    expire(records, now);
    problems.update(current, false);
  }

  private void publishLocal(KeysetScan scan, Map<String, KeysetRecord> records,
      Map<String, KeysetRecord> ended, Map<String, String> current, Instant now) {
    for (Keyset keyset : scan.loaded().values()) {
      String kid = keyset.kid();
      KeysetRecord gone = ended.get(kid);
      if (gone != null && gone.fingerprint().equals(keyset.fingerprint())) {
        // Revoked, or retired and expired: this key material never comes back under its NAME.
        continue;
      }
      localFingerprints.put(kid, keyset.fingerprint());
      KeysetRecord record = records.get(kid);
      if (record == null) {
        KeysetRecord mine = KeysetRecord.of(keyset, cipher, now, nodeId);
        GridValue winner = gone != null ? keysets.put(kid, mine.toJsonObject())
            : keysets.putIfAbsent(kid, mine.toJsonObject());
        record = KeysetRecord.fromJson(winner.value());
        records.put(kid, record);
        if (record.fingerprint().equals(mine.fingerprint()) && record.live()) {
          LOG.info("event=keyset_published kid={} node={} state={}", kid, nodeId, mine.state());
        } else if (!record.live()) {
          continue;
        }
      }
      if (!record.fingerprint().equals(keyset.fingerprint())) {
        current.put(kid + ".json", KeysetConflict.message(kid));
      } else if (!keyset.active() && record.state() == KeysetRecord.State.ACTIVE) {
        retireInCluster(record, records, now);
      }
    }
  }

  /**
   * Files removed from this node's folder retire the keyset everywhere. "Were here" means a
   * previous scan saw them, or this node wrote them before the current scan began (an operator
   * may delete a replicated copy before any scan noticed it arrived).
   */
  private void retireRemoved(KeysetScan scan, Map<String, KeysetRecord> records, Instant now) {
    Set<String> wereHere = new HashSet<>(previouslyDescribed == null ? Set.of() : previouslyDescribed);
    persistedAt.forEach((kid, at) -> {
      if (at - scan.startedNanos() < 0) {
        wereHere.add(kid);
      }
    });
    persistedAt.values().removeIf(at -> at - scan.startedNanos() < 0);
    for (String kid : wereHere) {
      KeysetRecord record = records.get(kid);
      if (!scan.described().contains(kid) && record != null
          && record.state() == KeysetRecord.State.ACTIVE
          && record.fingerprint().equals(localFingerprints.get(kid))) {
        LOG.info("event=keyset_files_removed kid={} node={} action=retire_cluster_wide", kid, nodeId);
        retireInCluster(record, records, now);
      }
    }
    previouslyDescribed = scan.described();
    seenHere.addAll(scan.described());
  }

  private void retireInCluster(KeysetRecord record, Map<String, KeysetRecord> records, Instant now) {
    KeysetRecord retired = record.retired(now);
    keysets.put(record.kid(), retired.toJsonObject());
    records.put(record.kid(), retired);
  }

  private void applyRecords(Map<String, KeysetRecord> records, Map<String, String> allAcks,
      Map<String, String> current) {
    for (KeysetRecord record : records.values()) {
      Optional<Keyset> keyset = open(record, current);
      if (keyset.isEmpty()) {
        continue;
      }
      String kid = record.kid();
      Optional<Keyset> existing = registry.get(kid);
      if (existing.isPresent() && !existing.get().fingerprint().equals(record.fingerprint())) {
        // The cluster's copy of a NAME wins; this node's different files stay untouched.
        registry.remove(kid);
      }
      registry.put(keyset.get(), false);
      if (record.state() == KeysetRecord.State.RETIRED) {
        registry.retire(kid, record.retiredAt().orElse(clock.instant()));
        if (localFingerprint(kid).isPresent() && deactivatedHere.add(kid)) {
          persistence.markRetired(kid, record.fingerprint(), localFingerprint(kid));
        }
      } else if (!seenHere.contains(kid) && persistence.persist(record, keyset.get(), current)) {
        // Written once: if the files vanish later, an operator removed them (a retirement),
        // and writing them back would undo it.
        persistedAt.put(kid, System.nanoTime());
        seenHere.add(kid);
        localFingerprints.put(kid, record.fingerprint());
      }
      String ackKey = ackKey(kid, nodeId);
      if (!record.fingerprint().equals(allAcks.get(ackKey))) {
        // Acks expire (and are given again while the keyset lives), so the ids of nodes that
        // restarted under another id do not pile up in the grid.
        acks.put(ackKey, new JsonObject().put("fingerprint", record.fingerprint()),
            Optional.of(clock.instant().plus(ACK_VALIDITY)));
        allAcks.put(ackKey, record.fingerprint());
      }
    }
  }

  private Optional<Keyset> open(KeysetRecord record, Map<String, String> current) {
    Keyset cached = opened.get(record.fingerprint());
    if (cached != null && cached.kid().equals(record.kid())) {
      return Optional.of(cached);
    }
    try {
      Keyset keyset = loader.load(record.open(cipher));
      if (!keyset.fingerprint().equals(record.fingerprint())) {
        throw new KeysetLoadException(record.kid() + ".json", "fingerprint does not match the record");
      }
      opened.put(record.fingerprint(), keyset);
      return Optional.of(keyset);
    } catch (ClusterCipher.SealException e) {
      current.put(SECRET_PROBLEM_FILE, "cannot open replicated keyset " + record.kid() + ": " + e.getMessage());
    } catch (KeysetLoadException e) {
      current.put(record.kid() + " (replicated)", e.getMessage());
    }
    return Optional.empty();
  }

  /** Keysets gone from the cluster (revoked, or retired and expired) leave this node too. */
  private void forgetVanished(Map<String, KeysetRecord> records, Map<String, String> tombstones) {
    for (Keyset keyset : registry.all()) {
      if (!records.containsKey(keyset.kid())) {
        registry.remove(keyset.kid());
        opened.remove(keyset.fingerprint());
        seenHere.remove(keyset.kid());
        deactivatedHere.remove(keyset.kid());
        persistence.delete(keyset.kid(), keyset.fingerprint(), localFingerprint(keyset.kid()));
      }
    }
    // A revoked keyset's files may still be on this node (it was down during the revocation).
    for (Keyset local : lastScan.loaded().values()) {
      if (local.fingerprint().equals(tombstones.get(local.kid()))) {
        persistence.delete(local.kid(), local.fingerprint(), Optional.of(local.fingerprint()));
      }
    }
  }

  /** Second phase: sign only with keysets every live member already verifies. */
  private void activate(Map<String, KeysetRecord> records, Map<String, String> allAcks, Instant now) {
    // Only members that proved the secret can verify; waiting for others would only delay activation.
    List<String> members = grid.members();
    Map<String, List<String>> nodes = new HashMap<>();
    for (KeysetRecord record : records.values()) {
      List<String> verifying = members.stream()
          .filter(m -> record.fingerprint().equals(allAcks.get(ackKey(record.kid(), m)))).toList();
      nodes.put(record.kid(), verifying);
      if (record.state() != KeysetRecord.State.ACTIVE || registry.get(record.kid()).isEmpty()
          || registry.isSignable(record.kid())) {
        continue;
      }
      boolean everyone = verifying.size() == members.size();
      boolean waitedEnough = now.isAfter(record.publishedAt().plus(ackTimeout));
      if (everyone || waitedEnough) {
        if (!everyone) {
          Set<String> silent = new HashSet<>(members);
          silent.removeAll(verifying);
          LOG.warn("event=keyset_activation_fallback kid={} silent_members={} waited_ms={}",
              record.kid(), silent, ackTimeout.toMillis());
        }
        registry.markSignable(record.kid());
        LOG.info("event=keyset_signable kid={} node={} verified_by={}", record.kid(), nodeId, verifying);
      }
    }
    nodesByKid = Map.copyOf(nodes);
  }

  /** Retired keysets whose tokens have all expired are dropped cluster-wide. */
  private void expire(Map<String, KeysetRecord> records, Instant now) {
    for (KeysetRecord record : records.values()) {
      if (record.state() == KeysetRecord.State.RETIRED && record.retiredAt().isPresent()
          && now.isAfter(record.retiredAt().get().plus(maxTokenLifetime))) {
        keysets.put(record.kid(), record.withState(KeysetRecord.State.EXPIRED).toJsonObject());
        LOG.info("event=keyset_expired kid={} reason=retired_tokens_expired", record.kid());
      }
    }
  }

  private Optional<String> localFingerprint(String kid) {
    return Optional.ofNullable(lastScan.loaded().get(kid)).map(Keyset::fingerprint);
  }

  private static String ackKey(String kid, String node) {
    return kid + "|" + node;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
