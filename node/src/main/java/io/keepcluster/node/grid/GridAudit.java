package io.keepcluster.node.grid;

import io.keepcluster.node.logging.Audit;
import io.keepcluster.node.status.ProblemKind;
import io.keepcluster.node.status.Problems;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What hostile or broken members did to the grid and was refused: records that do not
 * authenticate, older records put back, and entries removed without an authentic newer record.
 * Each is counted (metrics), logged once per member and kind, and named on {@code /health} by the
 * member's address until that member leaves the cluster.
 */
public final class GridAudit {

  /** The ways a write can be refused. */
  public enum Offence {
    UNAUTHENTICATED("wrote records that do not authenticate"),
    REPLAYED("put back records older than the cluster's"),
    DELETED("removed records without an authentic newer one");

    private final String text;

    Offence(String text) {
      this.text = text;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(GridAudit.class);
  private static final String PROBLEM_PREFIX = "cluster member ";

  private final Problems problems;
  private final Map<Offence, LongAdder> counts = new EnumMap<>(Offence.class);
  private final Set<String> logged = ConcurrentHashMap.newKeySet();
  private final Map<String, String> reportedMembers = new ConcurrentHashMap<>();
  private volatile boolean reporting = true;

  public GridAudit(Problems problems) {
    this.problems = problems;
    for (Offence offence : Offence.values()) {
      counts.put(offence, new LongAdder());
    }
  }

  /**
   * Records one refused write. {@code member} is the writer's address ({@code host:port}) when the
   * grid told us, else {@code unknown}; {@code claimedNode} is the node id it claims, if any.
   */
  public void refused(Offence offence, String map, String key, String member, String claimedNode,
      String reason) {
    counts.get(offence).increment();
    if (logged.add(member + "|" + offence)) {
      LOG.warn("event=grid_write_refused offence={} member={} claimed_node={} map={} key={} reason=\"{}\""
          + " action=not_applied_and_repaired", offence, member, claimedNode, map, key, reason);
      Audit.LOG.warn("event=grid_write_refused offence={} member={} claimed_node={} map={} key={}",
          offence, member, claimedNode, map, key);
    }
    if (reporting && !"unknown".equals(member)) {
      reportedMembers.put(member, claimedNode);
      problems.report(ProblemKind.INTRUDER, PROBLEM_PREFIX + member, "member " + member + " (claims node " + claimedNode
          + ") " + offence.text + " (" + map + ", last key " + key + "): not applied, repaired;"
          + " it does not hold KEEP_CLUSTER_SECRET or is tampering with the grid");
    }
  }

  /** How many writes of this kind were refused since start. */
  public long count(Offence offence) {
    return counts.get(offence).sum();
  }

  /** Drops the health entries of members that are no longer in the cluster. */
  public void retainMembers(Set<String> liveAddresses) {
    for (String member : Set.copyOf(reportedMembers.keySet())) {
      if (!liveAddresses.contains(member)) {
        reportedMembers.remove(member);
        problems.clear(PROBLEM_PREFIX + member);
        logged.removeIf(entry -> entry.startsWith(member + "|"));
      }
    }
  }

  /**
   * A node that cannot prove the secret itself sees every honest record as unauthenticated; it
   * reports its own secret problem instead of blaming the others.
   */
  public void reporting(boolean on) {
    reporting = on;
    if (!on) {
      reportedMembers.keySet().forEach(member -> problems.clear(PROBLEM_PREFIX + member));
      reportedMembers.clear();
    }
  }
}
