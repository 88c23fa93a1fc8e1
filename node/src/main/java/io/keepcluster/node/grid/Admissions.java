package io.keepcluster.node.grid;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.keepcluster.node.status.Intruder;
import io.keepcluster.node.status.ProblemKind;
import io.keepcluster.node.status.Problems;
import io.vertx.core.json.JsonObject;
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
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which members of the grid hold the cluster secret. Each node publishes a sealed admission
 * record under its Hazelcast member UUID (bound into the seal, so it cannot be moved to another
 * member) naming its node id; a member without one after a short grace is an intruder, and so is a
 * member whose node id is already claimed by an admitted one.
 *
 * <p>It also decides whether this node's own secret is the cluster's: alone, or with at least one
 * admitted member, it is confirmed; a node that no other member can vouch for while the
 * unverifiable ones outnumber it is the odd one out and confirms nothing. Until confirmed a node
 * writes nothing to the grid but its own admission.
 */
public final class Admissions implements GridTrust {

  static final String MAP = "keepcluster.admissions";
  private static final Logger LOG = LoggerFactory.getLogger(Admissions.class);
  private static final Duration VALIDITY = Duration.ofMinutes(10);
  private static final String SECRET_PROBLEM = "cluster secret";
  private static final String INTRUDER_PROBLEM = "cluster intruder ";
  /** In an admission record: the writer's own secret is confirmed. */
  private static final String CONFIRMED = "confirmed";

  private final SealedMap records;
  private final GridMember grid;
  private final GridAudit audit;
  private final Problems problems;
  private final Clock clock;
  private final Duration grace;
  private final Map<UUID, Instant> firstSeen = new ConcurrentHashMap<>();
  private final Set<UUID> admittedNow = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> firstConfirmation =
      new CompletableFuture<>();
  private volatile boolean confirmed;
  private volatile List<String> trustedNodes;
  private volatile List<Intruder> intruders = List.of();
  private volatile Set<String> reportedIntruders = Set.of();
  private volatile Instant nextDeadline;

  Admissions(SealedMap records, GridMember grid, GridAudit audit, Problems problems, Clock clock,
      Duration grace) {
    this.records = records;
    this.grid = grid;
    this.audit = audit;
    this.problems = problems;
    this.clock = clock;
    this.grace = grace;
    this.trustedNodes = List.of(grid.nodeId());
    records.trust(this);
  }

  @Override
  public boolean confirmed() {
    return confirmed && grid.connected();
  }

  @Override
  public boolean admitted(Member member) {
    return member != null && (member.localMember() || admittedNow.contains(member.getUuid()));
  }

  /** Completes the first time this node's secret is confirmed. */
  CompletableFuture<Void> firstConfirmation() {
    return firstConfirmation;
  }

  /** Node ids of the members that proved the secret, this node included, sorted. */
  public List<String> trustedNodes() {
    return trustedNodes;
  }

  public List<Intruder> intruders() {
    return intruders;
  }

  /**
   * When the next pass must run even if no event comes: a new member's grace ends, this node's
   * admission is due for renewal, or another member's admission expires (it stopped renewing).
   * Empty while the member is lost (the rejoin brings a pass).
   */
  Optional<Instant> nextDeadline() {
    return Optional.ofNullable(nextDeadline);
  }

  /**
   * One look at the members: judge the others, then publish our admission (with the verdict just
   * reached, so a member that is still deciding can follow it at once). On the grid thread.
   */
  void pass() {
    Optional<HazelcastInstance> running = grid.running();
    if (running.isEmpty()) {
      trustedNodes = List.of(grid.nodeId());
      nextDeadline = null;
      return;
    }
    Member local = running.get().getCluster().getLocalMember();
    Instant now = clock.instant();
    Instant deadline = null;
    Set<Member> members = running.get().getCluster().getMembers();
    firstSeen.keySet().retainAll(members.stream().map(Member::getUuid).collect(Collectors.toSet()));

    Map<String, UUID> claimedBy = new HashMap<>();
    claimedBy.put(grid.nodeId(), local.getUuid());
    Set<String> trusted = new TreeSet<>(List.of(grid.nodeId()));
    List<Intruder> found = new ArrayList<>();
    Set<UUID> admitted = new HashSet<>();
    int pending = 0;
    boolean vouched = false;
    for (Member member : members) {
      if (member.localMember()) {
        continue;
      }
      Instant seen = firstSeen.computeIfAbsent(member.getUuid(), uuid -> now);
      String claimed = member.getAttribute(GridMember.NODE_ATTRIBUTE);
      Optional<JsonObject> admission = records.get(member.getUuid().toString())
          .filter(value -> claimed != null && claimed.equals(value.getString("node")));
      Optional<String> provenNode = admission.map(value -> value.getString("node"));
      if (provenNode.isPresent() && claimedBy.putIfAbsent(provenNode.get(), member.getUuid()) == null) {
        admitted.add(member.getUuid());
        deadline = earliest(deadline, records.record(member.getUuid().toString()).flatMap(GridValue::expires)
            .orElse(null));
        vouched |= admission.get().getBoolean(CONFIRMED, false);
        trusted.add(provenNode.get());
      } else if (provenNode.isPresent()) {
        found.add(new Intruder(address(member), claimed,
            "claims node id " + claimed + ", which another member already proved"));
      } else if (now.isBefore(seen.plus(grace))) {
        pending++;
        deadline = earliest(deadline, seen.plus(grace));
      } else {
        found.add(new Intruder(address(member), claimed == null ? "-" : claimed,
            "no valid admission record: it does not hold KEEP_CLUSTER_SECRET"));
      }
    }
    admittedNow.retainAll(admitted);
    admittedNow.addAll(admitted);
    judgeSelf(members.size() - 1, admitted.size(), vouched, found.size(), pending);
    Instant renewal = publishOwn(local);
    nextDeadline = earliest(deadline, renewal);
    trustedNodes = List.copyOf(trusted);
    intruders = confirmed ? List.copyOf(found) : List.of();
    report(found);
    audit.retainMembers(members.stream().map(Admissions::address).collect(Collectors.toSet()));
  }

  /** Writes this node's admission when it is missing, half expired or behind the verdict; answers when to renew it. */
  private Instant publishOwn(Member local) {
    String key = local.getUuid().toString();
    Optional<GridValue> mine = records.record(key);
    Instant now = clock.instant();
    Optional<Instant> expires = mine.flatMap(GridValue::expires);
    boolean fresh = expires.map(at -> at.isAfter(now.plus(VALIDITY.dividedBy(2)))).orElse(false);
    boolean current = mine.map(value -> value.value().getBoolean(CONFIRMED, false) == confirmed()).orElse(false);
    if (!fresh || !current) {
      // The confirmed flag lets a member that is still deciding follow this one (SecretVerdict).
      Instant until = now.plus(VALIDITY);
      records.put(key, new JsonObject().put("node", grid.nodeId()).put("address", address(local))
              .put(CONFIRMED, confirmed()), Optional.of(until));
      return until.minus(VALIDITY.dividedBy(2));
    }
    return expires.get().minus(VALIDITY.dividedBy(2));
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  private void judgeSelf(int others, int admitted, boolean vouched, int refused, int pending) {
    // Kept across a rejoin: an intruder that shuts the member down must not get a second chance
    // to outvote this node with a flood of members while it proves itself again.
    boolean was = confirmed;
    boolean now = SecretVerdict.confirmed(was, others, admitted, vouched, refused);
    if (now != was) {
      LOG.info("event=grid_secret_{} node={} admitted_members={} unproven_members={}",
          now ? "confirmed" : "unconfirmed", grid.nodeId(), admitted, refused);
    }
    confirmed = now;
    if (now) {
      firstConfirmation.complete(null);
    }
    audit.reporting(now);
    if (!now && pending == 0 && others > 0) {
      String why = admitted == 0
          ? "KEEP_CLUSTER_SECRET does not match the cluster's: no other member's admission record"
              + " opens with it (" + others + " other members)"
          : "this node's secret is proven by " + admitted + " member(s), none of them confirmed,"
              + " while " + refused + " members prove nothing";
      problems.report(ProblemKind.SECRET, SECRET_PROBLEM, why + "; this node applies and publishes"
          + " nothing (it verifies no keyset and signs only with its own ephemeral key, which no"
          + " other node accepts) and is not ready");
    } else {
      problems.clear(SECRET_PROBLEM);
    }
  }

  private void report(List<Intruder> found) {
    Set<String> now = found.stream().map(Intruder::member).collect(Collectors.toSet());
    for (String gone : reportedIntruders) {
      if (!now.contains(gone)) {
        problems.clear(INTRUDER_PROBLEM + gone);
        LOG.info("event=grid_intruder_gone member={}", gone);
      }
    }
    if (confirmed) {
      for (Intruder intruder : found) {
        problems.report(ProblemKind.INTRUDER, INTRUDER_PROBLEM + intruder.member(), "member " + intruder.member()
            + " (claims node " + intruder.node() + ") is not trusted: " + intruder.reason());
        if (!reportedIntruders.contains(intruder.member())) {
          LOG.warn("event=grid_intruder member={} claimed_node={} reason=\"{}\"", intruder.member(),
              intruder.node(), intruder.reason());
        }
      }
      reportedIntruders = now;
    } else {
      reportedIntruders.forEach(member -> problems.clear(INTRUDER_PROBLEM + member));
      reportedIntruders = Set.of();
    }
  }

  static String address(Member member) {
    return member.getAddress().getHost() + ":" + member.getAddress().getPort();
  }
}
