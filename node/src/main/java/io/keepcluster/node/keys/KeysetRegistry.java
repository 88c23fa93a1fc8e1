package io.keepcluster.node.keys;

import io.keepcluster.node.logging.Audit;
import io.keepcluster.node.status.KeyStatusSource;
import io.keepcluster.shared.keys.Keyset;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keysets this node knows and what each one does. The only writer of the {@link KeyRing}:
 * every change rebuilds an immutable snapshot and publishes it whole.
 *
 * <p>A keyset is <em>signable</em> once the node may sign with it (at once on a single node; in a
 * cluster, only after every member can verify it). A retired keyset keeps verifying for
 * {@code maxJwtDuration} after its retirement, the longest any token signed before could live.
 */
public final class KeysetRegistry implements KeyStatusSource {

  private static final Logger LOG = LoggerFactory.getLogger(KeysetRegistry.class);

  /**
   * One keyset and its credentials, built once when the entry is made (PEM-derived objects are
   * costly), so publishing a change to one keyset does not rebuild the others: their verifying
   * credentials stay the same objects, which also keeps their verified-token cache entries.
   */
  private record Entry(Keyset keyset, boolean signable, Optional<Instant> retiredAt,
      SigningCredential signing, VerifyingCredential verifying, Optional<DecryptionKey> decryption) {

    boolean retired() {
      return retiredAt.isPresent() || !keyset.active();
    }

    /** The same keyset, signable or not, with its credentials reused. */
    Entry signable(boolean next) {
      return new Entry(keyset, next, retiredAt, signing, verifying, decryption);
    }
  }

  /** A new entry; a retired one verifies until {@code maxTokenLifetime} after its retirement. */
  private Entry entry(Keyset keyset, boolean signable, Optional<Instant> retiredAt, SigningCredential signing,
      Optional<DecryptionKey> decryption) {
    boolean retired = retiredAt.isPresent() || !keyset.active();
    Optional<Instant> until = retired
        ? Optional.of(retiredAt.orElse(clock.instant()).plus(maxTokenLifetime)) : Optional.empty();
    return new Entry(keyset, signable, retiredAt, signing, KeysetCredentials.verifying(keyset, until), decryption);
  }

  private final KeyRing ring;
  private final EphemeralKey ephemeral;
  private final Duration maxTokenLifetime;
  private final Clock clock;
  private final String nodeId;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private volatile Function<String, List<String>> nodesOf;
  private volatile Function<String, Optional<Instant>> signingAtOf = kid -> Optional.empty();
  /**
   * The entries and the signer as last published, for health and metrics. Their JSON is built
   * when asked for, not at every change: at start 1,000 keysets arrive one by one.
   */
  private record View(List<Entry> entries, Entry signer) {}

  private volatile View stateView = new View(List.of(), null);
  /** While above zero, changes wait for {@link #releasePublishing} (one snapshot per batch). */
  private int holds;
  private boolean unpublished;
  private volatile java.util.function.Consumer<Duration> replicationLag = lag -> {};
  /**
   * JWE recipient keys by kid, published with each key ring. Kept apart from the key ring on
   * purpose: the ring is what signature verification reads, and that path never holds a private
   * key (STYLE principle 2); only the decryption step in front of it reads this map.
   */
  private volatile Map<String, DecryptionKey> decryptionKeys = Map.of();

  public KeysetRegistry(KeyRing ring, EphemeralKey ephemeral, Duration maxTokenLifetime, Clock clock,
      String nodeId) {
    this.ring = ring;
    this.ephemeral = ephemeral;
    this.maxTokenLifetime = maxTokenLifetime;
    this.clock = clock;
    this.nodesOf = kid -> List.of(nodeId);
    this.nodeId = nodeId;
  }

  /** Who has a keyset loaded, for health; the cluster replaces the single-node answer. */
  public void nodesOf(Function<String, List<String>> nodesOf) {
    this.nodesOf = nodesOf;
  }

  /**
   * When a verifying keyset still in its rollover lead may sign, for health; the lifecycle
   * supplies its planner's answer.
   */
  public void signingAt(Function<String, Optional<Instant>> signingAtOf) {
    this.signingAtOf = signingAtOf;
  }

  /** Who hears how long a keyset from another node took to arrive here (metrics). */
  public void onReplicated(java.util.function.Consumer<Duration> listener) {
    this.replicationLag = listener;
  }

  /** A keyset published by another node was applied here {@code lag} after its publication. */
  public void replicated(Duration lag) {
    replicationLag.accept(lag);
  }

  /**
   * Adds or replaces a keyset. Returns false (and changes nothing) when the same key material is
   * already here with the same activity, so repeated scans and replication echoes are free.
   */
  public synchronized boolean put(Keyset keyset, boolean signable) {
    Entry existing = entries.get(keyset.kid());
    if (existing != null && existing.keyset().fingerprint().equals(keyset.fingerprint())) {
      // Retirement is one-way: only remove() forgets a retired keyset, nothing revives it.
      if (existing.retired()) {
        return false;
      }
      if (existing.keyset().active() == keyset.active() && (existing.signable() || !signable)) {
        return false;
      }
    }
    Optional<Instant> retiredAt = keyset.active() ? Optional.empty()
        : Optional.of(existing != null && existing.retiredAt().isPresent()
            ? existing.retiredAt().get() : clock.instant());
    entries.put(keyset.kid(), entry(keyset, signable, retiredAt, KeysetCredentials.signing(keyset),
        DecryptionKey.of(keyset)));
    LOG.info("event=keyset_loaded kid={} alg={} active={} signable={} fingerprint={}", keyset.kid(),
        keyset.jwsAlgorithm(), keyset.active(), signable, keyset.fingerprint().substring(0, 16));
    publish();
    return true;
  }

  /** Lets the node sign with a keyset it already verifies (second phase of activation). */
  public synchronized void markSignable(String kid) {
    Entry entry = entries.get(kid);
    if (entry != null && !entry.signable()) {
      entries.put(kid, entry.signable(true));
      publish();
    }
  }

  /** Stops signing with {@code kid} at once; it keeps verifying until its tokens have expired. */
  public void retire(String kid) {
    retire(kid, clock.instant());
  }

  /** Retires {@code kid} as of {@code at} (the moment the cluster first saw it retired). */
  public synchronized void retire(String kid, Instant at) {
    Entry entry = entries.get(kid);
    if (entry != null && entry.retiredAt().isEmpty()) {
      entries.put(kid, entry(entry.keyset(), entry.signable(), Optional.of(at), entry.signing(),
          entry.decryption()));
      LOG.info("event=keyset_retired kid={} verifies_until={}", kid, at.plus(maxTokenLifetime));
      Audit.LOG.info("event=keyset_retired kid={} alg={} node={} verifies_until={}", kid,
          entry.keyset().jwsAlgorithm(), nodeId, at.plus(maxTokenLifetime));
      publish();
    }
  }

  public synchronized boolean isSignable(String kid) {
    Entry entry = entries.get(kid);
    return entry != null && entry.signable();
  }

  /** Forgets {@code kid} at once: its tokens stop verifying (revocation). */
  public synchronized void remove(String kid) {
    Entry removed = entries.remove(kid);
    if (removed != null) {
      LOG.info("event=keyset_removed kid={}", kid);
      Audit.LOG.info("event=keyset_removed kid={} alg={} node={}", kid, removed.keyset().jwsAlgorithm(), nodeId);
      publish();
    }
  }

  /** Drops retired keysets whose tokens can no longer be valid; returns their kids. */
  public synchronized List<String> dropExpired() {
    Instant now = clock.instant();
    List<String> dropped = new ArrayList<>();
    entries.values().removeIf(entry -> {
      boolean expired = entry.retiredAt().map(at -> now.isAfter(at.plus(maxTokenLifetime))).orElse(false);
      if (expired) {
        dropped.add(entry.keyset().kid());
      }
      return expired;
    });
    if (!dropped.isEmpty()) {
      LOG.info("event=keysets_dropped kids={} reason=retired_tokens_expired", dropped);
      publish();
    }
    return dropped;
  }

  public synchronized Optional<Keyset> get(String kid) {
    return Optional.ofNullable(entries.get(kid)).map(Entry::keyset);
  }

  public synchronized List<Keyset> all() {
    return entries.values().stream().map(Entry::keyset).toList();
  }

  /** What this node holds, by kid: the lifecycle planner's view of the registry. */
  public synchronized Map<String, Held> held() {
    Map<String, Held> held = new LinkedHashMap<>();
    entries.forEach((kid, entry) -> held.put(kid,
        new Held(entry.keyset().fingerprint(), entry.signable(), entry.retired())));
    return held;
  }

  /** One keyset as this node holds it: which key, may it sign, is it retired. */
  public record Held(String fingerprint, boolean signable, boolean retired) {}

  /**
   * The JWE recipient key of a keyset this node holds (any live status; a revoked keyset is
   * removed at once). Lock-free: reads the map the last change published.
   */
  public Optional<DecryptionKey> decryptionKey(String kid) {
    return kid == null ? Optional.empty() : Optional.ofNullable(decryptionKeys.get(kid));
  }

  public synchronized boolean isRetired(String kid) {
    Entry entry = entries.get(kid);
    return entry != null && entry.retired();
  }

  /**
   * Defers publishing until the matching {@link #releasePublishing}: a batch of changes (a plan
   * loading 1,000 keysets at start) builds one key ring instead of one per keyset, which made
   * starting with N keysets cost N squared. Readers keep the previous snapshot meanwhile.
   */
  public synchronized void holdPublishing() {
    holds++;
  }

  /** Ends a {@link #holdPublishing}; publishes the changes made meanwhile, if any. */
  public synchronized void releasePublishing() {
    if (holds > 0 && --holds == 0 && unpublished) {
      publish();
    }
  }

  private void publish() {
    if (holds > 0) {
      unpublished = true;
      return;
    }
    unpublished = false;
    Optional<Entry> signer = entries.values().stream()
        .filter(e -> e.signable() && !e.retired())
        .max(Comparator.comparing(Entry::keyset, SignerRule.PREFERENCE));
    List<VerifyingCredential> verifiers = new ArrayList<>();
    verifiers.add(ephemeral.verifying());
    Map<String, DecryptionKey> decryption = new LinkedHashMap<>();
    for (Entry entry : entries.values()) {
      entry.decryption().ifPresent(key -> decryption.put(key.kid(), key));
      verifiers.add(entry.verifying());
    }
    SigningCredential signing = signer.map(Entry::signing).orElse(ephemeral.signing());
    SigningCredential previous = ring.current().signer();
    decryptionKeys = Map.copyOf(decryption); // before the ring: a removed keyset stops decrypting first
    ring.publish(new KeyRingSnapshot(signing, verifiers));
    stateView = new View(List.copyOf(entries.values()), signer.orElse(null));
    if (!previous.kid().equals(signing.kid())) {
      LOG.info("event=signer_changed kid={} previous={}", signing.kid(), previous.kid());
      Audit.LOG.info("event=keyset_signing kid={} alg={} node={} previous={}", signing.kid(),
          signing.algorithm(), nodeId, previous.kid());
    }
  }

  /** How many keysets are in {@code state} right now (for metrics). */
  public long count(KeysetStatus state) {
    Instant now = clock.instant();
    return views().stream().filter(view -> state.label().equals(stateNow(view, now).getString("state")))
        .count();
  }

  @Override
  public JsonArray keysets() {
    Instant now = clock.instant();
    JsonArray result = new JsonArray();
    for (JsonObject state : views()) {
      result.add(stateNow(state, now).put("nodes", new JsonArray(nodesOf.apply(state.getString("kid")))));
    }
    return result;
  }

  private List<JsonObject> views() {
    View current = stateView;
    List<JsonObject> views = new ArrayList<>(current.entries().size());
    for (Entry entry : current.entries()) {
      KeysetStatus state = entry.retired() ? KeysetStatus.RETIRING
          : entry == current.signer() ? KeysetStatus.SIGNING : KeysetStatus.VERIFYING;
      JsonObject view = new JsonObject().put("kid", entry.keyset().kid()).put("alg", entry.keyset().jwsAlgorithm())
          .put("state", state.label());
      if (!Instant.EPOCH.equals(entry.keyset().notBefore())) {
        view.put("created", entry.keyset().notBefore().toString());
      }
      views.add(view);
    }
    return views;
  }

  /**
   * One keyset's view (a fresh object) as of {@code now}: a verifying keyset still in its rollover lead
   * shows as {@code published}, with the instant it starts signing.
   */
  private JsonObject stateNow(JsonObject view, Instant now) {
    JsonObject copy = view;
    if (KeysetStatus.VERIFYING.label().equals(copy.getString("state"))) {
      signingAtOf.apply(copy.getString("kid")).filter(now::isBefore).ifPresent(at ->
          copy.put("state", KeysetStatus.PUBLISHED.label()).put("signingAt", at.toString()));
    }
    return copy;
  }

  @Override
  public JsonArray providers() {
    return new JsonArray();
  }
}
