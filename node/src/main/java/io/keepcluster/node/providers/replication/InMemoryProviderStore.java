package io.keepcluster.node.providers.replication;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The store of a node alone: its own definitions, versioned like the grid's (clock millis, always increasing). */
public final class InMemoryProviderStore implements ProviderStore {

  private final String nodeId;
  private final Clock clock;
  private final Map<String, Stored> records = new ConcurrentHashMap<>();

  public InMemoryProviderStore(String nodeId, Clock clock) {
    this.nodeId = nodeId;
    this.clock = clock;
  }

  @Override
  public Map<String, Stored> records() {
    return Map.copyOf(records);
  }

  @Override
  public Stored publish(ProviderDefinition definition) {
    return records.compute(definition.name(), (name, previous) -> new Stored(definition, nodeId,
        Math.max(clock.millis(), previous == null ? 0 : previous.version() + 1)));
  }

  @Override
  public void onChange(Runnable listener) {
    // Only this node writes here, and it knows when it does.
  }
}
