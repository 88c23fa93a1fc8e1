package io.keepcluster.node.grid;

import io.keepcluster.node.config.ClusterSettings;
import io.keepcluster.node.status.ClusterView;
import io.keepcluster.node.status.Intruder;
import io.keepcluster.node.status.ProblemKind;
import io.keepcluster.node.status.Problems;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grid as this node uses it: an embedded member that rejoins by itself, sealed maps that
 * apply only authentic, newer records and repair the rest, and the admission check that tells
 * trusted members from intruders. The only way into Hazelcast for the rest of the node.
 */
public final class Grid implements ClusterView, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Grid.class);
  /** How long a new member may take to publish its admission before it counts as an intruder. */
  private static final Duration ADMISSION_GRACE = Duration.ofSeconds(5);
  /**
   * The admission pass follows events (an admission record changed, a member joined or left, a
   * join, rejoin or merge) and its own deadlines (a new member's grace ends, this node's record is
   * due for renewal, another member's record expires); this is only the backstop for a missed
   * event. Every 500 ms, as before, it was the part of an idle node's CPU that grew with the
   * cluster: each pass read the admission map, one record per member, from the grid.
   */
  static final Duration ADMISSION_BACKSTOP = Duration.ofSeconds(5);
  /** How long creating a map may wait for its first whole read before leaving it to the backstop. */
  private static final Duration FIRST_READ_WAIT = Duration.ofSeconds(10);
  /** Events that arrive together (a member joining writes and repairs several) make one pass. */
  private static final Duration PASS_DEBOUNCE = Duration.ofMillis(50);
  /** The {@code /health} problem key while the embedded member is lost. */
  static final String GRID_PROBLEM = "cluster grid";
  /**
   * How often every record map, the admission map included, is read whole. Entry events are the
   * primary path (a forged, replayed or removed entry is repaired as its event arrives); this pass
   * is the backstop for what no event reports, and also runs at once on every join, rejoin, merge
   * and membership change (a backup promoted after a member left is read then). Reading every map
   * whole each 500 ms cost an idle cluster CPU in proportion to its records and members.
   */
  static final Duration RECONCILE_EVERY = Duration.ofSeconds(15);

  private final GridMember member;
  private final RecordSeal seal;
  private final GridAudit audit;
  private final Clock clock;
  private final Admissions admissions;
  private final List<SealedMap> maps = new CopyOnWriteArrayList<>();
  private final SealedMap admissionRecords;
  private final AtomicBoolean reconcileAll = new AtomicBoolean(true);
  private final AtomicBoolean passQueued = new AtomicBoolean();
  private long lastFullReconcile = System.nanoTime();
  /** The next deadline pass, on the maintenance thread only. */
  private ScheduledFuture<?> deadlinePass;
  private Instant deadlineAt;

  private Grid(GridMember member, RecordSeal seal, GridAudit audit, Problems problems, Clock clock) {
    this.member = member;
    this.seal = seal;
    this.audit = audit;
    this.clock = clock;
    SealedMap admissionRecords = new SealedMap(Admissions.MAP, "admission", member.nodeId(), seal,
        member, audit, clock, false);
    maps.add(admissionRecords);
    this.admissionRecords = admissionRecords;
    this.admissions = new Admissions(admissionRecords, member, audit, problems, clock, ADMISSION_GRACE);
    admissionRecords.onChange(this::passSoon);
  }

  /** Joins the cluster (blocking) and starts the upkeep; {@code key} is the 32-byte grid key. */
  public static Grid start(ClusterSettings settings, String nodeId, JsonObject kubernetes, byte[] key,
      Problems problems, Clock clock) {
    GridMember member = GridMember.start(settings, nodeId, kubernetes);
    Grid grid = new Grid(member, new RecordSeal(key, new SecureRandom()), new GridAudit(problems),
        problems, clock);
    member.onJoin(instance -> {
      instance.getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {
          grid.reconcileSoon();
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
          grid.reconcileSoon();
        }
      });
      grid.reconcileSoon();
    });
    member.onLoss(why -> why.ifPresentOrElse(
        reason -> problems.report(ProblemKind.GRID, GRID_PROBLEM, "the embedded grid member was lost ("
            + reason + "); it rejoins by itself. Until then this node serves logins and tokens from"
            + " its own copy, exchanges no cluster state and is not ready"),
        () -> problems.clear(GRID_PROBLEM)));
    member.maintenance().scheduleWithFixedDelay(grid::upkeep, 0, ADMISSION_BACKSTOP.toMillis(),
        TimeUnit.MILLISECONDS);
    return grid;
  }

  /** A sealed map for records of one type; written only once this node's secret is confirmed. */
  public SealedMap map(String name, String type) {
    SealedMap map = new SealedMap(name, type, member.nodeId(), seal, member, audit, clock, true);
    map.trust(admissions);
    maps.add(map);
    readWhole(map);
    return map;
  }

  /**
   * Reads a new map whole before anyone uses it (blocking, at most {@link #FIRST_READ_WAIT}): its
   * events only report later changes, so without this a node that joined a running cluster would
   * miss the records already there (keysets, logouts, lockouts) until the next full read.
   */
  private void readWhole(SealedMap map) {
    try {
      member.maintenance().submit(map::reconcile).get(FIRST_READ_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reconcileAll.set(true);
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      // The grid is busy or lost: the next backstop pass reads every map whole.
      reconcileAll.set(true);
      LOG.debug("event=grid_first_read_deferred map={} reason=\"{}\"", map.name(), e.toString());
    }
  }

  public GridMember member() {
    return member;
  }

  public GridAudit audit() {
    return audit;
  }

  public GridTrust trust() {
    return admissions;
  }

  /**
   * Waits (at most {@code max}) until this node knows its secret is the cluster's, so a node
   * starting beside running members has their records before it serves.
   */
  public boolean awaitConfirmed(Duration max) throws InterruptedException {
    try {
      admissions.firstConfirmation().get(max.toMillis(), TimeUnit.MILLISECONDS);
      reconcileAll.set(true);
      member.maintenance().submit(this::upkeep).get(max.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("grid upkeep failed", e.getCause());
    }
  }

  /** Reads every map whole on the maintenance thread, as soon as it is free. */
  private void reconcileSoon() {
    reconcileAll.set(true);
    member.maintenance().execute(this::upkeep);
  }

  /**
   * An admission pass shortly, on the maintenance thread (any thread may call it; calls while one
   * is queued add nothing).
   */
  private void passSoon() {
    if (passQueued.compareAndSet(false, true)) {
      try {
        member.maintenance().schedule(() -> {
          passQueued.set(false);
          admissionPass();
        }, PASS_DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        passQueued.set(false); // closing
      }
    }
  }

  /** The backstop: an admission pass, and every map read whole when due (or asked for). */
  private void upkeep() {
    long now = System.nanoTime();
    boolean forced = reconcileAll.getAndSet(false);
    boolean full = forced || now - lastFullReconcile >= RECONCILE_EVERY.toNanos();
    try {
      if (full) {
        lastFullReconcile = now;
        // Admissions first, so the pass judges the members on the records just read.
        admissionRecords.reconcile();
      } else {
        admissionRecords.purgeExpired();
      }
    } catch (RuntimeException e) {
      // Hazelcast throws while a member merges or shuts down; the next pass tries again.
      LOG.debug("event=grid_upkeep_failed node={} reason=\"{}\"", member.nodeId(), e.toString());
    }
    admissionPass();
    try {
      for (SealedMap map : maps) {
        if (map != admissionRecords) {
          // Each map on its own clock: a large one (100,000 users) is read whole less often.
          map.reconcileIfDue(forced, RECONCILE_EVERY);
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("event=grid_upkeep_failed node={} reason=\"{}\"", member.nodeId(), e.toString());
    }
  }

  /** Publishes this node's admission, judges the members, and sets a pass at the next deadline. */
  private void admissionPass() {
    try {
      admissions.pass();
      admissions.nextDeadline().ifPresent(this::passAt);
    } catch (RuntimeException e) {
      LOG.debug("event=grid_upkeep_failed node={} reason=\"{}\"", member.nodeId(), e.toString());
    }
  }

  /** A pass at {@code at}, unless one is already set for then or earlier. Maintenance thread only. */
  private void passAt(Instant at) {
    if (deadlinePass != null && !deadlinePass.isDone() && !deadlineAt.isAfter(at)) {
      return;
    }
    if (deadlinePass != null) {
      deadlinePass.cancel(false);
    }
    long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis()) + 1;
    deadlineAt = at;
    deadlinePass = member.maintenance().schedule(this::admissionPass, delay, TimeUnit.MILLISECONDS);
  }

  @Override
  public String name() {
    return member.clusterName();
  }

  @Override
  public List<String> members() {
    return admissions.trustedNodes();
  }

  /**
   * Version and process start of each admitted member, as its Hazelcast member attributes claim
   * them (display only: the grid is untrusted, so nothing decides anything on these).
   */
  @Override
  public Map<String, MemberDetails> memberDetails() {
    Map<String, MemberDetails> details = new LinkedHashMap<>();
    member.running().ifPresent(hz -> hz.getCluster().getMembers().forEach(m -> {
      String node = m.getAttribute(GridMember.NODE_ATTRIBUTE);
      if (node != null && admissions.admitted(m)) {
        details.put(node, new MemberDetails(m.getAttribute(GridMember.VERSION_ATTRIBUTE),
            m.getAttribute(GridMember.STARTED_ATTRIBUTE)));
      }
    }));
    return details;
  }

  @Override
  public List<Intruder> intruders() {
    return admissions.intruders();
  }

  @Override
  public int rejoins() {
    return member.rejoins();
  }

  @Override
  public Map<String, Long> refusedWrites() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (GridAudit.Offence offence : GridAudit.Offence.values()) {
      counts.put(offence.name().toLowerCase(Locale.ROOT), audit.count(offence));
    }
    return counts;
  }

  @Override
  public boolean ready() {
    return member.connected() && admissions.confirmed();
  }

  public int port() {
    return member.port();
  }

  @Override
  public void close() {
    member.close();
  }
}
