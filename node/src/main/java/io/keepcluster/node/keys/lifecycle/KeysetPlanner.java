package io.keepcluster.node.keys.lifecycle;

import io.keepcluster.node.keys.KeysetConflict;
import io.keepcluster.node.keys.KeysetRegistry.Held;
import io.keepcluster.node.keys.KeysetScan;
import io.keepcluster.node.keys.KeysetStatus;
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
import io.keepcluster.node.keys.lifecycle.KeysetAction.RevokeInStore;
import io.keepcluster.shared.keys.Keyset;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The keyset lifecycle as a pure function: from what this node's folder holds, what the store
 * holds, who acknowledged what, what the registry holds and what this node remembers, the next
 * memory and the steps that bring this node and the store in line. No I/O, no clock, no logging:
 * one idempotent pass, so a lost event, a restart, a late joiner or a healed partition converges
 * by simply planning again.
 *
 * <ol>
 *   <li>Keysets in the folder are published (first copy of a NAME wins; a different copy is
 *       refused and reported, its files untouched); {@code "active": false} retires them.
 *   <li>Files that were here and are gone retire the keyset everywhere.
 *   <li>Retired keysets whose tokens have all expired become GONE.
 *   <li>Every live record is loaded as verifying, acknowledged, and persisted into the folder once
 *       (a retired one marks this node's copy {@code "active": false}).
 *   <li>Tombstones (REVOKED, GONE) and vanished records leave the registry; a revoked keyset's files
 *       are deleted everywhere, an expired one's copies everywhere but on its origin.
 *   <li>Two-phase activation: a keyset signs here once every live member verifies it, or once the
 *       acknowledgement wait has run out; and, while another keyset can sign meanwhile, never before
 *       {@code rolloverLead} after it was published, so resource servers that cache the JWKS have
 *       seen its kid before its first token.
 * </ol>
 */
public final class KeysetPlanner {

  /** Everything one pass looks at; {@code acks} is kid to (node id to fingerprint). */
  public record Observation(KeysetScan scan, Map<String, KeysetRecord> records,
      Map<String, Map<String, String>> acks, List<String> members, Map<String, Held> held,
      KeysetMemory memory, Instant now) {

    public Observation {
      records = Map.copyOf(records);
      acks = Map.copyOf(acks);
      members = List.copyOf(members);
      held = Map.copyOf(held);
    }
  }

  /**
   * The outcome of a pass.
   *
   * @param verifiedBy kid to the members that verify it, for health
   * @param signingAt kid to the instant it may sign, for live keysets still in their rollover lead
   *     (health shows them as published); the next pass due then makes them signable
   */
  public record Plan(KeysetMemory next, List<KeysetAction> actions, Map<String, List<String>> verifiedBy,
      Map<String, Instant> signingAt) {

    public Plan {
      actions = List.copyOf(actions);
      verifiedBy = Map.copyOf(verifiedBy);
      signingAt = Map.copyOf(signingAt);
    }

    /** When the earliest keyset in its lead may sign: a pass is due then. */
    public Optional<Instant> nextSigningAt() {
      return signingAt.values().stream().min(Instant::compareTo);
    }
  }

  private final String nodeId;
  private final Duration ackTimeout;
  private final Duration maxTokenLifetime;
  private final Duration rolloverLead;

  /**
   * @param ackTimeout how long a new keyset waits for a silent member before it signs anyway
   * @param maxTokenLifetime how long a retired keyset keeps verifying (maxJwtDuration)
   * @param rolloverLead how long after its publication a new keyset starts signing
   *     ({@code rolloverLeadSeconds}; zero signs as soon as every member verifies it)
   */
  public KeysetPlanner(String nodeId, Duration ackTimeout, Duration maxTokenLifetime, Duration rolloverLead) {
    if (rolloverLead.isNegative()) {
      throw new IllegalArgumentException("rolloverLead must not be negative: " + rolloverLead);
    }
    this.nodeId = nodeId;
    this.ackTimeout = ackTimeout;
    this.maxTokenLifetime = maxTokenLifetime;
    this.rolloverLead = rolloverLead;
  }

  /** The instant {@code record} may start signing: its publication plus the rollover lead. */
  public Instant signingAt(KeysetRecord record) {
    return record.publishedAt().plus(rolloverLead);
  }

  /**
   * The earliest instant after {@code after} at which a plan over these same {@code records} could
   * differ only because time passed: a keyset's rollover lead or acknowledgement wait ends, or a
   * retired keyset's tokens have all expired. Empty when no such instant is ahead.
   */
  public Optional<Instant> nextDeadline(Map<String, KeysetRecord> records, Instant after) {
    Instant next = null;
    for (KeysetRecord record : records.values()) {
      if (record.status() == KeysetStatus.RETIRING) {
        next = earlier(next, record.retiredAt().map(at -> at.plus(maxTokenLifetime)).orElse(null), after);
      } else if (!record.status().tombstone()) {
        next = earlier(next, signingAt(record), after);
        next = earlier(next, record.publishedAt().plus(ackTimeout), after);
      }
    }
    return Optional.ofNullable(next);
  }

  private static Instant earlier(Instant current, Instant candidate, Instant after) {
    if (candidate == null || !candidate.isAfter(after)) {
      return current;
    }
    return current == null || candidate.isBefore(current) ? candidate : current;
  }

  /** Management "revoke": the tombstone to write, or empty when the cluster has no such live keyset. */
  public Optional<RevokeInStore> revoke(String kid, Map<String, KeysetRecord> records) {
    KeysetRecord record = records.get(kid);
    if (record == null || record.status().tombstone()) {
      return Optional.empty();
    }
    return Optional.of(new RevokeInStore(record.revoked()));
  }

  /**
   * Management "retire": the same record change as removing the keyset's files or setting
   * {@code "active": false} (it stops signing everywhere and verifies until its tokens expire), or
   * empty when the cluster has no published (verifying or signing) keyset with this kid.
   */
  public Optional<RetireInStore> retire(String kid, Map<String, KeysetRecord> records, Instant now) {
    KeysetRecord record = records.get(kid);
    if (record == null || record.status() != KeysetStatus.VERIFYING) {
      return Optional.empty();
    }
    return Optional.of(new RetireInStore(record.retired(now)));
  }

  public Plan plan(Observation in) {
    return new Pass(in).run();
  }

  /** One pass's working copies: the store and registry as they will be after the steps so far. */
  private final class Pass {
    private final Observation in;
    private final KeysetScan scan;
    private final Map<String, KeysetRecord> records;
    private final Map<String, Map<String, String>> acks = new HashMap<>();
    private final Map<String, Held> held;
    private final KeysetMemory.Builder memory;
    private final List<KeysetAction> actions = new ArrayList<>();

    Pass(Observation in) {
      this.in = in;
      this.scan = in.scan();
      this.records = new TreeMap<>(in.records());
      in.acks().forEach((kid, byNode) -> acks.put(kid, new HashMap<>(byNode)));
      this.held = new TreeMap<>(in.held());
      this.memory = in.memory().builder();
    }

    Plan run() {
      new TreeMap<>(scan.problems()).forEach((file, reason) -> actions.add(new ReportProblem(file, reason)));
      publishLocal();
      retireRemoved();
      expire();
      applyRecords();
      forgetTombstonesAndVanished();
      Map<String, Instant> signingAt = new HashMap<>();
      Map<String, List<String>> verifiedBy = activate(signingAt);
      return new Plan(memory.build(), actions, verifiedBy, signingAt);
    }

    private Optional<Keyset> local(String kid) {
      return Optional.ofNullable(scan.loaded().get(kid));
    }

    private void publishLocal() {
      for (Keyset keyset : new TreeMap<>(scan.loaded()).values()) {
        String kid = keyset.kid();
        KeysetRecord record = records.get(kid);
        if (record != null && record.status().tombstone() && record.fingerprint().equals(keyset.fingerprint())) {
          continue; // revoked or expired: this key material never comes back
        }
        memory.localFingerprints.put(kid, keyset.fingerprint());
        if (record == null || record.status().tombstone()) {
          record = KeysetRecord.of(keyset, in.now(), nodeId);
          actions.add(new Publish(record));
          records.put(kid, record);
        }
        if (!record.fingerprint().equals(keyset.fingerprint())) {
          actions.add(new ReportProblem(kid + ".json", KeysetConflict.message(kid)));
        } else if (!keyset.active() && record.status() == KeysetStatus.VERIFYING) {
          retireInStore(record);
        }
      }
    }

    /**
     * Files removed from this node's folder retire the keyset everywhere. "Were here" means the
     * previous scan saw them, or this node wrote them before the current scan began (an operator
     * may delete a replicated copy before any scan noticed it arrived).
     */
    private void retireRemoved() {
      Set<String> wereHere = new HashSet<>(memory.previouslyDescribed);
      memory.persistedAt.forEach((kid, at) -> {
        if (at - scan.startedNanos() < 0) {
          wereHere.add(kid);
        }
      });
      memory.persistedAt.values().removeIf(at -> at - scan.startedNanos() < 0);
      for (String kid : sorted(wereHere)) {
        KeysetRecord record = records.get(kid);
        if (!scan.described().contains(kid) && record != null && record.status() == KeysetStatus.VERIFYING
            && record.fingerprint().equals(memory.localFingerprints.get(kid))) {
          retireInStore(record);
        }
      }
      memory.previouslyDescribed = scan.described();
      memory.seenHere.addAll(scan.described());
    }

    private void retireInStore(KeysetRecord record) {
      KeysetRecord retired = record.retired(in.now());
      actions.add(new RetireInStore(retired));
      records.put(record.kid(), retired);
    }

    /** Retired keysets whose tokens have all expired become tombstones, cluster-wide. */
    private void expire() {
      for (KeysetRecord record : List.copyOf(records.values())) {
        if (record.status() == KeysetStatus.RETIRING && record.retiredAt().isPresent()
            && in.now().isAfter(record.retiredAt().get().plus(maxTokenLifetime))) {
          KeysetRecord gone = record.gone();
          actions.add(new Expire(gone));
          records.put(record.kid(), gone);
        }
      }
    }

    private void applyRecords() {
      for (KeysetRecord record : records.values()) {
        if (record.status().tombstone()) {
          continue;
        }
        String kid = record.kid();
        Held here = held.get(kid);
        if (here != null && !here.fingerprint().equals(record.fingerprint())) {
          // The cluster's copy of a NAME wins; this node's different files stay untouched.
          actions.add(new Forget(kid));
          held.remove(kid);
          here = null;
        }
        if (here == null) {
          actions.add(new LoadVerifying(record));
          here = new Held(record.fingerprint(), false, false);
          held.put(kid, here);
        }
        if (record.status() == KeysetStatus.RETIRING) {
          if (!here.retired()) {
            actions.add(new KeysetAction.RetireLocally(kid, record.retiredAt().orElse(in.now())));
            held.put(kid, new Held(here.fingerprint(), here.signable(), true));
          }
          Optional<Keyset> local = local(kid);
          if (local.isPresent() && memory.deactivated.add(kid)
              && local.get().fingerprint().equals(record.fingerprint())) {
            actions.add(new MarkCopyRetired(kid));
          }
        } else if (!memory.seenHere.contains(kid)) {
          actions.add(new Persist(record));
        }
        Map<String, String> byNode = acks.computeIfAbsent(kid, k -> new HashMap<>());
        if (!record.fingerprint().equals(byNode.get(nodeId))) {
          actions.add(new Ack(kid, record.fingerprint()));
          byNode.put(nodeId, record.fingerprint());
        }
      }
    }

    /**
     * Keysets gone from the cluster (revoked, expired, or missing with no files here to publish
     * again) leave this node too. Files holding a tombstoned key are deleted: a revoked keyset's
     * everywhere (this node may have been down during the revocation), an expired keyset's only
     * where they are a replicated copy (the origin keeps the operator's own files, now ignored).
     */
    private void forgetTombstonesAndVanished() {
      for (String kid : List.copyOf(held.keySet())) {
        KeysetRecord record = records.get(kid);
        if (record == null || record.status().tombstone()) {
          actions.add(new Forget(kid));
          held.remove(kid);
          memory.seenHere.remove(kid);
          memory.deactivated.remove(kid);
        }
      }
      for (Keyset local : new TreeMap<>(scan.loaded()).values()) {
        KeysetRecord record = records.get(local.kid());
        if (record != null && record.fingerprint().equals(local.fingerprint())
            && (record.status() == KeysetStatus.REVOKED
                || record.status() == KeysetStatus.GONE && !nodeId.equals(record.origin()))) {
          actions.add(new DeleteFiles(local.kid()));
          memory.seenHere.remove(local.kid());
          memory.deactivated.remove(local.kid());
        }
      }
    }

    /**
     * Second phase: sign only with keysets every live member already verifies (or after the ack
     * wait), and only once the rollover lead since publication has passed (when another keyset
     * can sign meanwhile). Keysets still in their lead go to {@code signingAt}.
     */
    private Map<String, List<String>> activate(Map<String, Instant> signingAt) {
      Map<String, List<String>> verifiedBy = new HashMap<>();
      // Taken before this pass marks anything, so the answer does not depend on the kid order.
      Set<String> signableHere = new HashSet<>();
      held.forEach((kid, here) -> {
        if (here.signable() && !here.retired()) {
          signableHere.add(kid);
        }
      });
      for (KeysetRecord record : records.values()) {
        if (record.status().tombstone()) {
          continue;
        }
        String kid = record.kid();
        Map<String, String> byNode = acks.getOrDefault(kid, Map.of());
        List<String> verifying = in.members().stream()
            .filter(m -> record.fingerprint().equals(byNode.get(m))).toList();
        verifiedBy.put(kid, verifying);
        Held here = held.get(kid);
        if (record.status() != KeysetStatus.VERIFYING || here == null || here.signable()
            || !here.fingerprint().equals(record.fingerprint())) {
          continue;
        }
        Instant signsAt = signingAt(record);
        if (in.now().isBefore(signsAt) && anotherCouldSign(record, records, signableHere, in.now())) {
          signingAt.put(kid, signsAt);
          continue;
        }
        boolean everyone = verifying.size() == in.members().size();
        boolean waitedEnough = in.now().isAfter(record.publishedAt().plus(ackTimeout));
        if (everyone || waitedEnough) {
          List<String> silent = in.members().stream().filter(m -> !verifying.contains(m)).toList();
          actions.add(new MarkSignable(kid, verifying, silent));
          held.put(kid, new Held(here.fingerprint(), true, here.retired()));
        }
      }
      return verifiedBy;
    }
  }

  /**
   * The lead is worth waiting for only while another keyset may sign meanwhile: one this node
   * already signs with, or a live one past its own lead. The first keyset of a cluster, or every
   * keyset after a whole-cluster (or single node) restart republished them all, signs at once:
   * waiting would only prolong the ephemeral key, whose tokens no resource server can verify.
   */
  private boolean anotherCouldSign(KeysetRecord record, Map<String, KeysetRecord> records,
      Set<String> signableHere, Instant now) {
    if (signableHere.stream().anyMatch(kid -> !kid.equals(record.kid()))) {
      return true;
    }
    return records.values().stream().anyMatch(other -> !other.kid().equals(record.kid())
        && other.status() == KeysetStatus.VERIFYING && !now.isBefore(signingAt(other)));
  }

  private static List<String> sorted(Set<String> kids) {
    return kids.stream().sorted().toList();
  }
}
