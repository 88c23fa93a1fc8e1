package io.keepcluster.node.cluster;

import io.keepcluster.node.grid.SealedMap;
import io.keepcluster.node.users.UserReplica;
import io.keepcluster.shared.users.UserEntry;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The user directory's entries in the sealed grid map: reads answer this node's authentic copy
 * (a record forged or deleted in the grid changes nothing), and a removal is a tombstone record,
 * never a delete, so the grid cannot be used to bring a user back or make one vanish.
 */
public final class ClusterUserReplica implements UserReplica {

  private final SealedMap users;

  public ClusterUserReplica(SealedMap users) {
    this.users = users;
  }

  @Override
  public Set<String> names() {
    return users.records().keySet();
  }

  @Override
  public Optional<UserEntry> get(String username) {
    return users.get(username).map(UserEntry::fromJson);
  }

  @Override
  public void publish(UserEntry entry) {
    users.put(entry.username(), entry.toJson());
  }

  @Override
  public void onChange(Consumer<String> listener) {
    users.onKeyChange(listener);
  }
}
