package io.keepcluster.node.grid;

import io.keepcluster.node.config.ClusterSettings;
import io.keepcluster.node.status.ClusterView;
import io.keepcluster.node.status.Intruder;
import io.keepcluster.node.status.ProblemKind;
import io.keepcluster.node.status.Problems;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ExecutionException;
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
  private static final Duration UPKEEP_EVERY = Duration.ofMillis(500);
  /** The {@code /health} problem key while the embedded member is lost. */
  static final String GRID_PROBLEM = "cluster grid";
  /**
   * How often every record map is read whole. Entry events are the primary path (a forged,
   * replayed or removed entry is repaired as its event arrives); this pass is the backstop for
   * what no event reports, and also runs at once on every join, rejoin, merge and membership
   * change (a backup promoted after a member left is read then). Reading every map whole each
   * {@link #UPKEEP_EVERY} cost an idle cluster CPU in proportion to its records.
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
    member.maintenance().scheduleWithFixedDelay(grid::upkeep, 0, UPKEEP_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    return grid;
  }

  /** A sealed map for records of one type; written only once this node's secret is confirmed. */
  public SealedMap map(String name, String type) {
    SealedMap map = new SealedMap(name, type, member.nodeId(), seal, member, audit, clock, true);
    map.trust(admissions);
    maps.add(map);
    return map;
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

  private void upkeep() {
    try {
      admissions.pass();
      // The admission records are few (one per member) and decide who is trusted: read every time.
      admissionRecords.reconcile();
      boolean forced = reconcileAll.getAndSet(false);
      for (SealedMap map : maps) {
        if (map != admissionRecords) {
          // Each map on its own clock: a large one (100,000 users) is read whole less often.
          map.reconcileIfDue(forced, RECONCILE_EVERY);
        }
      }
    } catch (RuntimeException e) {
      // Hazelcast throws while a member merges or shuts down; the next pass tries again.
      LOG.debug("event=grid_upkeep_failed node={} reason=\"{}\"", member.nodeId(), e.toString());
    }
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
