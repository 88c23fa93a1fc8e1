package io.keepcluster.node.keys.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.keepcluster.node.keys.lifecycle.KeysetAction.RetireLocally;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetLoader;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every transition of the keyset lifecycle, planned without a grid, a folder or a clock: a tiny
 * in-test world carries the plans out the way {@link KeysetLifecycle} does.
 */
class KeysetPlannerTest {

  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration MAX_LIFETIME = Duration.ofHours(24);

  private static Keyset a;
  private static Keyset old;
  private static Keyset otherA;
  private static Keyset inactiveA;

  @BeforeAll
  static void keysets() throws Exception {
    a = keyset("A");
    old = keyset("O");
    otherA = keyset("A");
    KeysetFiles files = a.files();
    inactiveA = new KeysetLoader().load(new KeysetFiles(a.name(),
        new JsonObject(files.descriptorJson()).put("active", false).encode(), files.certificatePem(),
        files.privateKeyPem(), files.publicKeyPem()));
  }

  private static Keyset keyset(String name) throws Exception {
    return new KeysetLoader().load(new KeysetGenerator()
        .generate(KeysetName.of(name), KeyAlgorithmSpec.ec("P-256"), Clock.fixed(T0, ZoneOffset.UTC)));
  }

  /** One node's view of a shared store, carrying plans out like the driver does. */
  private static final class World {
    final Map<String, KeysetRecord> records = new HashMap<>();
    final Map<String, Map<String, String>> acks = new HashMap<>();
    List<String> members = List.of("n1");
    final Map<String, Held> held = new HashMap<>();
    KeysetMemory memory = KeysetMemory.EMPTY;
    final String node;
    final KeysetPlanner planner;
    long clockNanos = 1_000;

    World(String node) {
      this(node, Duration.ZERO);
    }

    World(String node, Duration rolloverLead) {
      this.node = node;
      this.planner = new KeysetPlanner(node, ACK_TIMEOUT, MAX_LIFETIME, rolloverLead);
    }

    KeysetPlanner.Plan plan(KeysetScan scan, Instant now) {
      return planner.plan(new KeysetPlanner.Observation(scan, records, acks, members, held, memory, now));
    }

    /** Plans and carries the plan out (publishes win, persists write). */
    List<KeysetAction> pass(KeysetScan scan, Instant now) {
      KeysetPlanner.Plan plan = plan(scan, now);
      KeysetMemory next = plan.next();
      for (KeysetAction action : plan.actions()) {
        if (action instanceof Publish p) {
          records.put(p.kid(), p.record());
        } else if (action instanceof RetireInStore r) {
          records.put(r.kid(), r.retired());
        } else if (action instanceof Expire e) {
          records.put(e.kid(), e.gone());
        } else if (action instanceof LoadVerifying l) {
          held.put(l.kid(), new Held(l.record().fingerprint(), false, false));
        } else if (action instanceof MarkSignable m) {
          Held h = held.get(m.kid());
          held.put(m.kid(), new Held(h.fingerprint(), true, h.retired()));
        } else if (action instanceof RetireLocally r) {
          Held h = held.get(r.kid());
          held.put(r.kid(), new Held(h.fingerprint(), h.signable(), true));
        } else if (action instanceof Forget f) {
          held.remove(f.kid());
        } else if (action instanceof Ack k) {
          acks.computeIfAbsent(k.kid(), x -> new HashMap<>()).put(node, k.fingerprint());
        } else if (action instanceof Persist p) {
          next = next.persisted(p.kid(), p.record().fingerprint(), ++clockNanos);
        }
      }
      memory = next;
      return plan.actions();
    }

    void ackFrom(String other, String kid, String fingerprint) {
      acks.computeIfAbsent(kid, x -> new HashMap<>()).put(other, fingerprint);
    }

    KeysetScan scan(Keyset... keysets) {
      return scanStartedAt(++clockNanos, keysets);
    }

    KeysetScan scanStartedAt(long startedNanos, Keyset... keysets) {
      Map<String, Keyset> loaded = new HashMap<>();
      for (Keyset k : keysets) {
        loaded.put(k.kid(), k);
      }
      return new KeysetScan(loaded, loaded.keySet(), Map.of(), startedNanos);
    }
  }

  private static <T extends KeysetAction> List<T> of(Class<T> type, List<KeysetAction> actions) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static Set<Class<?>> kinds(List<KeysetAction> actions) {
    return actions.stream().map(Object::getClass).collect(Collectors.toSet());
  }

  private static KeysetRecord fromOtherNode(Keyset keyset) {
    return KeysetRecord.of(keyset, T0, "n2");
  }

  @Test
  @DisplayName("a keyset dropped here is published, verifies, is acknowledged, and waits for the other member")
  void firstPublish() {
    World w = new World("n1");
    w.members = List.of("n1", "n2");
    List<KeysetAction> actions = w.pass(w.scan(a), T0);

    KeysetRecord published = of(Publish.class, actions).get(0).record();
    assertEquals(KeysetStatus.VERIFYING, published.status());
    assertEquals("n1", published.origin());
    assertEquals(1, of(LoadVerifying.class, actions).size());
    assertEquals(List.of(new Ack("A", a.fingerprint())), of(Ack.class, actions));
    assertTrue(of(Persist.class, actions).isEmpty(), "its own files are never written again");
    assertTrue(of(MarkSignable.class, actions).isEmpty(), "n2 has not acknowledged yet");
  }

  @Test
  @DisplayName("alone (a cluster of one) a new keyset signs in the same pass")
  void aloneSignsAtOnce() {
    World w = new World("n1");
    List<KeysetAction> actions = w.pass(w.scan(a), T0);

    assertEquals(List.of(new MarkSignable("A", List.of("n1"), List.of())), of(MarkSignable.class, actions));
  }

  @Test
  @DisplayName("a second pass over the same world plans nothing")
  void idempotent() {
    World w = new World("n1");
    KeysetScan scan = w.scan(a);
    w.pass(scan, T0);

    assertEquals(List.of(), w.pass(scan, T0.plusSeconds(1)));
  }

  @Test
  @DisplayName("the same NAME with another key is refused and reported; the cluster's copy verifies; no file is touched")
  void conflict() {
    World w = new World("n1");
    w.records.put("A", fromOtherNode(otherA));
    List<KeysetAction> actions = w.pass(w.scan(a), T0);

    assertTrue(of(Publish.class, actions).isEmpty());
    assertEquals(List.of(new ReportProblem("A.json", KeysetConflict.message("A"))), of(ReportProblem.class, actions));
    assertEquals(otherA.fingerprint(), of(LoadVerifying.class, actions).get(0).record().fingerprint());
    assertFalse(kinds(actions).contains(Persist.class));
    assertFalse(kinds(actions).contains(DeleteFiles.class));
    assertFalse(kinds(actions).contains(MarkCopyRetired.class));
  }

  @Test
  @DisplayName("a replicated record loads as verifying and is persisted exactly once")
  void loadAndPersistOnce() {
    World w = new World("n1");
    w.members = List.of("n1", "n2");
    w.records.put("A", fromOtherNode(a));
    w.ackFrom("n2", "A", a.fingerprint());

    List<KeysetAction> first = w.pass(w.scan(), T0);
    assertEquals(1, of(LoadVerifying.class, first).size());
    assertEquals(1, of(Persist.class, first).size());
    assertEquals(1, of(MarkSignable.class, first).size(), "both members verify it");

    assertEquals(List.of(), w.pass(w.scan(a), T0.plusSeconds(1)), "the written copy is seen, nothing more to do");
    assertEquals(List.of(), w.pass(w.scan(a), T0.plusSeconds(2)));
  }

  @Test
  @DisplayName("two-phase activation: no signing until every live member acknowledged")
  void twoPhase() {
    World w = new World("n1");
    w.members = List.of("n1", "n2", "n3");
    KeysetScan scan = w.scan(a);
    w.pass(scan, T0);
    w.ackFrom("n2", "A", a.fingerprint());
    assertTrue(of(MarkSignable.class, w.pass(scan, T0.plusSeconds(1))).isEmpty());

    w.ackFrom("n3", "A", otherA.fingerprint());
    assertTrue(of(MarkSignable.class, w.pass(scan, T0.plusSeconds(2))).isEmpty(),
        "an acknowledgement of other key material does not count");

    w.ackFrom("n3", "A", a.fingerprint());
    assertEquals(List.of(new MarkSignable("A", List.of("n1", "n2", "n3"), List.of())),
        of(MarkSignable.class, w.pass(scan, T0.plusSeconds(3))));
  }

  @Test
  @DisplayName("a silent member delays signing only until the acknowledgement wait has run out")
  void ackTimeout() {
    World w = new World("n1");
    w.members = List.of("n1", "n2");
    KeysetScan scan = w.scan(a);
    w.pass(scan, T0);
    assertTrue(of(MarkSignable.class, w.pass(scan, T0.plus(ACK_TIMEOUT))).isEmpty());

    assertEquals(List.of(new MarkSignable("A", List.of("n1"), List.of("n2"))),
        of(MarkSignable.class, w.pass(scan, T0.plus(ACK_TIMEOUT).plusMillis(1))));
  }

  /** A world where keyset O was published long ago and signs; lead as given. */
  private static World withOldSigner(Duration lead, List<String> members) {
    World w = new World("n1", lead);
    w.members = members;
    for (String member : members) {
      w.ackFrom(member, "O", old.fingerprint());
    }
    w.pass(w.scan(old), T0.minus(Duration.ofHours(1)));
    assertTrue(w.held.get("O").signable(), "O signs before the rotation");
    return w;
  }

  @Test
  @DisplayName("rollover lead: a keyset dropped while another signs verifies at once but signs only the lead after its publication")
  void leadDelaysSigningAlone() {
    Duration lead = Duration.ofSeconds(60);
    World w = withOldSigner(lead, List.of("n1"));
    KeysetScan scan = w.scan(old, a);

    KeysetPlanner.Plan first = w.plan(scan, T0);
    List<KeysetAction> actions = w.pass(scan, T0);
    assertEquals(1, of(LoadVerifying.class, actions).size(), "verifies (and is in the JWKS) at once");
    assertEquals(T0, of(Publish.class, actions).get(0).record().publishedAt());
    assertTrue(of(MarkSignable.class, actions).isEmpty(), "still in its lead");
    assertEquals(Map.of("A", T0.plus(lead)), first.signingAt());
    assertEquals(java.util.Optional.of(T0.plus(lead)), first.nextSigningAt());

    assertTrue(of(MarkSignable.class, w.pass(scan, T0.plus(lead).minusMillis(1))).isEmpty());
    KeysetPlanner.Plan due = w.plan(scan, T0.plus(lead));
    assertEquals(List.of(new MarkSignable("A", List.of("n1"), List.of())), of(MarkSignable.class, due.actions()));
    assertEquals(Map.of(), due.signingAt(), "past its lead it is no longer published-only");
  }

  @Test
  @DisplayName("rollover lead 0: a keyset dropped while another signs signs in the same pass")
  void zeroLeadSignsAtOnce() {
    World w = withOldSigner(Duration.ZERO, List.of("n1"));
    KeysetPlanner.Plan plan = w.plan(w.scan(old, a), T0);

    assertEquals(List.of(new MarkSignable("A", List.of("n1"), List.of())), of(MarkSignable.class, plan.actions()));
    assertEquals(Map.of(), plan.signingAt());
  }

  @Test
  @DisplayName("rollover lead: the first keyset, or all keysets republished by a restart, sign at once (nothing else could sign)")
  void noOtherSignerSkipsLead() {
    World first = new World("n1", Duration.ofSeconds(60));
    assertEquals(1, of(MarkSignable.class, first.pass(first.scan(a), T0)).size(), "only the ephemeral key meanwhile");

    World restarted = new World("n1", Duration.ofSeconds(60));
    List<KeysetAction> actions = restarted.pass(restarted.scan(old, a), T0);
    assertEquals(2, of(MarkSignable.class, actions).size(), "both republished now: neither is past its lead");
  }

  @Test
  @DisplayName("rollover lead and two-phase activation both hold: every ack in but the lead not over, or the lead over but a member silent, no signing")
  void leadAndAcksBothRequired() {
    Duration lead = Duration.ofSeconds(3);
    World w = withOldSigner(lead, List.of("n1", "n2"));
    KeysetScan scan = w.scan(old, a);
    w.pass(scan, T0);
    w.ackFrom("n2", "A", a.fingerprint());
    assertTrue(of(MarkSignable.class, w.pass(scan, T0.plusSeconds(2))).isEmpty(),
        "every member verifies it, but caches have not had the lead yet");
    assertEquals(1, of(MarkSignable.class, w.pass(scan, T0.plus(lead))).size());

    World silent = withOldSigner(lead, List.of("n1", "n2"));
    silent.pass(scan, T0);
    assertTrue(of(MarkSignable.class, silent.pass(scan, T0.plus(lead))).isEmpty(),
        "lead over, n2 silent and the ack wait not over");
    assertEquals(1, of(MarkSignable.class, silent.pass(scan, T0.plus(ACK_TIMEOUT).plusMillis(1))).size());
  }

  @Test
  @DisplayName("rollover lead counts from the record's publishedAt: a replicated or restarted node does not wait again")
  void leadCountsFromPublication() {
    Duration lead = Duration.ofSeconds(60);
    World w = new World("n1", lead);
    w.members = List.of("n1", "n2");
    w.records.put("O", KeysetRecord.of(old, T0.minus(Duration.ofHours(1)), "n2"));
    w.records.put("A", fromOtherNode(a));
    w.ackFrom("n2", "O", old.fingerprint());
    w.ackFrom("n2", "A", a.fingerprint());

    KeysetPlanner.Plan early = w.plan(w.scan(), T0.plusSeconds(30));
    assertEquals(List.of("O"), of(MarkSignable.class, early.actions()).stream().map(MarkSignable::kid).toList());
    assertEquals(Map.of("A", T0.plus(lead)), early.signingAt(), "the origin's publication time, not this node's");

    World restarted = new World("n1", lead);
    restarted.members = List.of("n1", "n2");
    restarted.records.putAll(w.records);
    restarted.acks.putAll(w.acks);
    assertEquals(2, of(MarkSignable.class, restarted.pass(restarted.scan(), T0.plus(Duration.ofHours(1)))).size(),
        "published an hour ago: both sign in the first pass");
  }

  @Test
  @DisplayName("a retiring keyset is never published-only, whatever its lead")
  void retiringHasNoSigningAt() {
    World w = new World("n1", Duration.ofSeconds(60));
    KeysetPlanner.Plan plan = w.plan(w.scan(inactiveA), T0);
    assertEquals(Map.of(), plan.signingAt());
    assertTrue(of(MarkSignable.class, plan.actions()).isEmpty());
  }

  @Test
  @DisplayName("a negative rollover lead is refused")
  void negativeLead() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new KeysetPlanner("n1", ACK_TIMEOUT, MAX_LIFETIME, Duration.ofSeconds(-1)));
  }

  @Test
  @DisplayName("removing the files retires the keyset in the store and here")
  void retireByRemovedFiles() {
    World w = new World("n1");
    w.pass(w.scan(a), T0);
    List<KeysetAction> actions = w.pass(w.scan(), T0.plusSeconds(10));

    KeysetRecord retired = of(RetireInStore.class, actions).get(0).retired();
    assertEquals(KeysetStatus.RETIRING, retired.status());
    assertEquals(T0.plusSeconds(10), retired.retiredAt().orElseThrow());
    assertEquals(List.of(new RetireLocally("A", T0.plusSeconds(10))), of(RetireLocally.class, actions));
  }

  @Test
  @DisplayName("\"active\": false retires the keyset; a copy written here is marked inactive once")
  void retireByInactive() {
    World w = new World("n1");
    KeysetScan scan = w.scan(a);
    w.pass(scan, T0);
    List<KeysetAction> actions = w.pass(w.scan(inactiveA), T0.plusSeconds(5));

    assertEquals(KeysetStatus.RETIRING, of(RetireInStore.class, actions).get(0).retired().status());
    assertEquals(1, of(RetireLocally.class, actions).size());
    assertEquals(List.of(new MarkCopyRetired("A")), of(MarkCopyRetired.class, actions));
    assertTrue(of(MarkCopyRetired.class, w.pass(w.scan(inactiveA), T0.plusSeconds(6))).isEmpty());
  }

  @Test
  @DisplayName("a keyset dropped with \"active\": false is published already retired")
  void publishedRetired() {
    World w = new World("n1");
    List<KeysetAction> actions = w.pass(w.scan(inactiveA), T0);

    assertEquals(KeysetStatus.RETIRING, of(Publish.class, actions).get(0).record().status());
    assertTrue(of(MarkSignable.class, actions).isEmpty());
  }

  @Test
  @DisplayName("a retired keyset is gone after maxJwtDuration: the tombstone stays, this node forgets it")
  void expiry() {
    World w = new World("n1");
    w.pass(w.scan(a), T0);
    w.pass(w.scan(), T0);
    assertTrue(of(Expire.class, w.pass(w.scan(), T0.plus(MAX_LIFETIME))).isEmpty());

    List<KeysetAction> actions = w.pass(w.scan(), T0.plus(MAX_LIFETIME).plusSeconds(1));
    assertEquals(KeysetStatus.GONE, of(Expire.class, actions).get(0).gone().status());
    assertEquals(List.of(new Forget("A")), of(Forget.class, actions));
    assertEquals(KeysetStatus.GONE, w.records.get("A").status(), "never a physical delete");
    assertEquals(List.of(), w.pass(w.scan(), T0.plus(MAX_LIFETIME).plusSeconds(2)));
  }

  @Test
  @DisplayName("an expired keyset's replicated copy is deleted; the origin keeps the operator's files and never re-publishes them")
  void expiredCopiesAndOrigin() {
    World copy = new World("n1");
    KeysetRecord gone = fromOtherNode(a).retired(T0).gone();
    copy.records.put("A", gone);
    copy.held.put("A", new Held(a.fingerprint(), true, true));
    List<KeysetAction> atCopy = copy.pass(copy.scan(a), T0.plus(MAX_LIFETIME).plusSeconds(1));
    assertTrue(atCopy.contains(new DeleteFiles("A")));
    assertTrue(atCopy.contains(new Forget("A")));

    World origin = new World("n2");
    origin.records.put("A", gone);
    List<KeysetAction> atOrigin = origin.pass(origin.scan(a), T0.plus(MAX_LIFETIME).plusSeconds(1));
    assertEquals(List.of(), atOrigin);
  }

  @Test
  @DisplayName("revoke writes a tombstone; every node forgets the keyset, deletes its files, and never publishes that key again")
  void revoke() {
    World w = new World("n1");
    KeysetScan scan = w.scan(a);
    w.pass(scan, T0);
    assertTrue(w.planner.revoke("B", w.records).isEmpty(), "unknown keyset");

    KeysetRecord revoked = w.planner.revoke("A", w.records).orElseThrow().revoked();
    assertEquals(KeysetStatus.REVOKED, revoked.status());
    w.records.put("A", revoked);
    List<KeysetAction> actions = w.pass(scan, T0.plusSeconds(1));

    assertEquals(List.of(new Forget("A"), new DeleteFiles("A")), actions);
    assertTrue(w.planner.revoke("A", w.records).isEmpty(), "already revoked");
  }

  @Test
  @DisplayName("management retire writes the same retired record as removing the files: the keyset stops signing and keeps verifying")
  void retire() {
    World w = new World("n1");
    KeysetScan scan = w.scan(a);
    w.pass(scan, T0);
    assertTrue(w.planner.retire("B", w.records, T0).isEmpty(), "unknown keyset");

    KeysetRecord retired = w.planner.retire("A", w.records, T0.plusSeconds(1)).orElseThrow().retired();
    assertEquals(KeysetStatus.RETIRING, retired.status());
    assertEquals(T0.plusSeconds(1), retired.retiredAt().orElseThrow());
    w.records.put("A", retired);
    List<KeysetAction> actions = w.pass(scan, T0.plusSeconds(2));

    assertEquals(List.of(new RetireLocally("A", T0.plusSeconds(1))), of(RetireLocally.class, actions));
    assertFalse(kinds(actions).contains(DeleteFiles.class), "a retired keyset keeps its files");
    assertTrue(w.planner.retire("A", w.records, T0.plusSeconds(3)).isEmpty(), "already retiring");
  }

  @Test
  @DisplayName("after a revoke, the same NAME with a new key is published again")
  void newKeyAfterRevoke() {
    World w = new World("n1");
    w.records.put("A", fromOtherNode(a).revoked());
    List<KeysetAction> actions = w.pass(w.scan(otherA), T0);

    assertEquals(otherA.fingerprint(), of(Publish.class, actions).get(0).record().fingerprint());
  }

  @Test
  @DisplayName("a late joiner loads, persists and acknowledges every record before its first scan")
  void lateJoiner() throws Exception {
    Keyset b = keyset("B");
    World w = new World("n3");
    w.members = List.of("n1", "n2", "n3");
    w.records.put("A", fromOtherNode(a));
    w.records.put("B", fromOtherNode(b).retired(T0));
    List<KeysetAction> actions = w.pass(new KeysetScan(Map.of(), Set.of(), Map.of(), 0), T0.plusSeconds(1));

    assertEquals(2, of(LoadVerifying.class, actions).size());
    assertEquals(List.of("A"), of(Persist.class, actions).stream().map(Persist::kid).toList(),
        "a retired keyset is verified but not written");
    assertEquals(List.of(new RetireLocally("B", T0)), of(RetireLocally.class, actions));
    assertEquals(2, of(Ack.class, actions).size());
  }

  @Test
  @DisplayName("partition heal: a record missing from the store but on disk here is published again")
  void partitionHeal() {
    World w = new World("n1");
    KeysetScan scan = w.scan(a);
    w.pass(scan, T0);
    w.records.clear();
    List<KeysetAction> actions = w.pass(scan, T0.plusSeconds(30));

    assertEquals(1, of(Publish.class, actions).size());
    assertFalse(kinds(actions).contains(Forget.class));
  }

  @Test
  @DisplayName("a record missing from the store with no files here is forgotten")
  void vanishedWithoutFiles() {
    World w = new World("n1");
    w.held.put("A", new Held(a.fingerprint(), true, false));
    assertEquals(List.of(new Forget("A")), w.pass(w.scan(), T0));
  }

  @Test
  @DisplayName("files deleted right after this node wrote its replicated copy still retire the keyset")
  void deletedRightAfterPersist() {
    World w = new World("n1");
    w.records.put("A", fromOtherNode(a));
    KeysetScan before = w.scanStartedAt(10);
    w.pass(before, T0);
    assertTrue(w.memory.persistedAt().containsKey("A"));

    assertTrue(of(RetireInStore.class, w.pass(before, T0.plusSeconds(1))).isEmpty(),
        "a scan that began before the write proves nothing");
    List<KeysetAction> actions = w.pass(w.scanStartedAt(w.clockNanos + 100), T0.plusSeconds(2));
    assertEquals(1, of(RetireInStore.class, actions).size());
    assertFalse(w.memory.persistedAt().containsKey("A"));
  }

  @Test
  @DisplayName("the scan's own problems are part of the plan")
  void scanProblems() {
    World w = new World("n1");
    KeysetScan scan = new KeysetScan(Map.of(), Set.of("Bad"), Map.of("Bad.json", "no key"), 1);
    assertEquals(List.of(new ReportProblem("Bad.json", "no key")), w.pass(scan, T0));
  }
}
