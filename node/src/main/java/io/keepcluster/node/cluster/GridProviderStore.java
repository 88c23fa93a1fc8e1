package io.keepcluster.node.cluster;

import io.keepcluster.node.grid.GridValue;
import io.keepcluster.node.grid.SealedMap;
import io.keepcluster.node.providers.replication.ProviderDefinition;
import io.keepcluster.node.providers.replication.ProviderStore;
import java.util.HashMap;
import java.util.Map;

/**
 * Provider definitions in a sealed map, one record per NAME. Sealing, versions, replay and
 * tamper repair are the grid's job; a record whose body is not a definition of its own key is
 * ignored.
 */
final class GridProviderStore implements ProviderStore {

  private final SealedMap records;

  GridProviderStore(SealedMap records) {
    this.records = records;
  }

  @Override
  public Map<String, Stored> records() {
    Map<String, Stored> result = new HashMap<>();
    records.records().forEach((name, value) -> {
      ProviderDefinition definition = ProviderDefinition.fromJson(value.value());
      if (definition != null && definition.name().equals(name)) {
        result.put(name, new Stored(definition, value.writer(), value.version()));
      }
    });
    return result;
  }

  @Override
  public Stored publish(ProviderDefinition definition) {
    GridValue written = records.put(definition.name(), definition.toJson());
    return new Stored(definition, written.writer(), written.version());
  }

  @Override
  public void onChange(Runnable listener) {
    records.onChange(listener);
  }
}
