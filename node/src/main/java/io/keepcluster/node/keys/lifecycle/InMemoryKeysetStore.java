package io.keepcluster.node.keys.lifecycle;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The store of a node on its own: a cluster of one, whose only member is this node. */
public final class InMemoryKeysetStore implements KeysetStore {

  private final String nodeId;
  private final Map<String, KeysetRecord> records = new HashMap<>();
  private final Map<String, Map<String, String>> acks = new HashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public InMemoryKeysetStore(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public synchronized Map<String, KeysetRecord> records() {
    return Map.copyOf(records);
  }

  @Override
  public KeysetRecord publishIfAbsent(KeysetRecord record) {
    KeysetRecord winner;
    synchronized (this) {
      KeysetRecord existing = records.get(record.kid());
      if (existing != null && !existing.status().tombstone()) {
        return existing;
      }
      records.put(record.kid(), record);
      winner = record;
    }
    changed();
    return winner;
  }

  @Override
  public void update(KeysetRecord record) {
    synchronized (this) {
      records.put(record.kid(), record);
    }
    changed();
  }

  @Override
  public synchronized Map<String, String> acks(String kid) {
    return Map.copyOf(acks.getOrDefault(kid, Map.of()));
  }

  @Override
  public void ack(String kid, String ackingNode, String fingerprint) {
    synchronized (this) {
      acks.computeIfAbsent(kid, k -> new HashMap<>()).put(ackingNode, fingerprint);
    }
    changed();
  }

  @Override
  public List<String> members() {
    return List.of(nodeId);
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }
}
