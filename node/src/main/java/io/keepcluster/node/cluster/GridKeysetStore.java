package io.keepcluster.node.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.keepcluster.node.grid.Grid;
import io.keepcluster.node.grid.GridValue;
import io.keepcluster.node.grid.SealedMap;
import io.keepcluster.node.keys.lifecycle.KeysetRecord;
import io.keepcluster.node.keys.lifecycle.KeysetStore;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keyset store of a cluster member: keyset records (one per NAME, tombstones included) and
 * acknowledgements (one per NAME and node) in two sealed maps. Sealing, versions, replay and
 * tamper repair are the grid's job; this class only maps the store's vocabulary onto it.
 */
final class GridKeysetStore implements KeysetStore {

  /** Acks expire and are given again while the keyset lives, so ids of restarted nodes do not pile up. */
  private static final Duration ACK_VALIDITY = Duration.ofHours(1);
  private static final String ACK_SEPARATOR = "|";

  private final Grid grid;
  private final SealedMap records;
  private final SealedMap acks;
  private final Clock clock;

  GridKeysetStore(Grid grid, SealedMap records, SealedMap acks, Clock clock) {
    this.grid = grid;
    this.records = records;
    this.acks = acks;
    this.clock = clock;
  }

  @Override
  public Map<String, KeysetRecord> records() {
    Map<String, KeysetRecord> result = new HashMap<>();
    records.records().forEach((kid, value) -> {
      KeysetRecord record = KeysetRecord.fromJson(value.value().encode());
      if (record.kid().equals(kid)) {
        result.put(kid, record);
      }
    });
    return result;
  }

  @Override
  public KeysetRecord publishIfAbsent(KeysetRecord record) {
    Optional<KeysetRecord> known = records.get(record.kid()).map(json -> KeysetRecord.fromJson(json.encode()));
    if (known.isPresent() && !known.get().status().tombstone()) {
      return known.get();
    }
    if (known.isPresent()) {
      // A tombstone: another key may take the NAME (the same key never comes back, the planner
      // checks that before it publishes).
      records.put(record.kid(), json(record));
      return record;
    }
    GridValue winner = records.putIfAbsent(record.kid(), json(record));
    KeysetRecord current = KeysetRecord.fromJson(winner.value().encode());
    if (current.status().tombstone()) {
      records.put(record.kid(), json(record));
      return record;
    }
    return current;
  }

  @Override
  public void update(KeysetRecord record) {
    records.put(record.kid(), json(record));
  }

  @Override
  public Map<String, String> acks(String kid) {
    String prefix = kid + ACK_SEPARATOR;
    Map<String, String> result = new HashMap<>();
    acks.records().forEach((key, value) -> {
      if (key.startsWith(prefix)) {
        result.put(key.substring(prefix.length()), value.value().getString("fingerprint"));
      }
    });
    return result;
  }

  @Override
  public void ack(String kid, String nodeId, String fingerprint) {
    String key = kid + ACK_SEPARATOR + nodeId;
    boolean known = acks.get(key).map(json -> fingerprint.equals(json.getString("fingerprint"))).orElse(false);
    if (!known) {
      acks.put(key, new JsonObject().put("fingerprint", fingerprint),
          Optional.of(clock.instant().plus(ACK_VALIDITY)));
    }
  }

  /** Only members that proved the secret: waiting for the acks of others would only delay activation. */
  @Override
  public List<String> members() {
    return grid.members();
  }

  @Override
  public void onChange(Runnable listener) {
    records.onChange(listener);
    acks.onChange(listener);
    grid.member().onJoin(instance -> instance.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        listener.run();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        listener.run();
      }
    }));
  }

  private static JsonObject json(KeysetRecord record) {
    return new JsonObject(record.toJson());
  }
}
