package io.keepcluster.node.providers.replication;

import java.util.Map;

/**
 * Where provider definitions are shared: the sealed grid in a cluster, memory on a node alone.
 * One record per provider NAME; a write is always newer than the record it replaces.
 */
public interface ProviderStore {

  /** One authentic record: the definition, who wrote it, and its cluster-wide version. */
  record Stored(ProviderDefinition definition, String writer, long version) {}

  /** Every record, by provider name. */
  Map<String, Stored> records();

  /** Writes {@code definition} as the newest record of its name. */
  Stored publish(ProviderDefinition definition);

  /** Called after any change by another writer (any thread): keep it cheap. */
  void onChange(Runnable listener);
}
