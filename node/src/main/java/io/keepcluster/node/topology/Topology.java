package io.keepcluster.node.topology;

import io.keepcluster.node.status.ClusterView;
import io.keepcluster.node.keys.KeysetScan;
import io.keepcluster.node.management.KeysetRetirer;
import io.keepcluster.node.management.KeysetRevoker;
import io.keepcluster.node.tokens.Revocations;
import io.keepcluster.node.users.LockoutRegistry;
import io.keepcluster.node.users.UserDirectory;
import io.keepcluster.node.providers.replication.ProviderStore;
import java.util.function.Consumer;

/**
 * What differs between a node running alone and a cluster member: where users, lockouts, logouts
 * and keysets live. The rest of the node is the same in both.
 */
public interface Topology extends AutoCloseable {

  /** The directory users, in memory, kept in step with the node's file (and the cluster). */
  UserDirectory users();

  /** Failed logins of directory users. */
  LockoutRegistry lockouts();

  /** Failed logins of management accounts: counted apart, so neither side can lock out the other. */
  LockoutRegistry managementLockouts();

  Revocations revocations();

  ClusterView clusterView();

  /** Receives every scan of the node's own config folder. */
  Consumer<KeysetScan> keysetSink();

  KeysetRevoker revoker();

  /** Management "retire": the same effect as removing the keyset's files on this node. */
  KeysetRetirer retirer();

  /** Where provider definitions are shared (memory when alone). */
  ProviderStore providers();

  /** Blocks until the node holds everything the cluster has (immediate when alone). */
  void awaitInitialSync() throws Exception;

  /** The Hazelcast port, 0 when alone. */
  int clusterPort();

  @Override
  void close();
}
