package io.keepcluster.node.cluster;

import io.keepcluster.node.grid.GridValue;
import io.keepcluster.node.grid.SealedMap;
import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.node.users.UserLookup;
import io.keepcluster.shared.users.UserDirectoryException;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserRecord;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user directory, cluster-wide: logins read this node's authentic copy of the sealed users
 * map (so a record forged or removed in the grid changes nothing here); {@link #sync()} publishes
 * users added to this node's {@code users.json} (the CLI writes there) and persists users
 * received from other nodes, so a node restarting alone still knows everybody.
 *
 * <p>At start the cluster's copy wins for a user both sides know; after that, a local edit (the
 * file changed since the last sync) is published over the cluster's copy.
 */
public final class ClusterUserDirectory implements UserLookup {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterUserDirectory.class);

  private final SealedMap users;
  private final UserDirectoryFile file;
  private Map<String, JsonObject> lastLocal;

  public ClusterUserDirectory(SealedMap users, UserDirectoryFile file) {
    this.users = users;
    this.file = file;
  }

  @Override
  public Optional<UserRecord> find(String username) {
    return users.get(username).map(UserRecord::fromJson);
  }

  /** One exchange between users.json and the cluster. Blocking; call from one thread. */
  public synchronized void sync() {
    Map<String, JsonObject> local = new HashMap<>();
    try {
      file.load().forEach((name, user) -> local.put(name, user.toJson()));
    } catch (UserDirectoryException e) {
      LOG.warn("event=user_directory_invalid reason=\"{}\" action=skipping_sync", e.getMessage());
      return;
    }
    boolean first = lastLocal == null;
    for (Map.Entry<String, JsonObject> entry : local.entrySet()) {
      String name = entry.getKey();
      if (first) {
        GridValue winner = users.putIfAbsent(name, entry.getValue());
        if (winner.value().equals(entry.getValue())) {
          LOG.info("event=user_published user={}", LogSafe.value(name));
        }
      } else if (!entry.getValue().equals(lastLocal.get(name))
          && !users.get(name).map(entry.getValue()::equals).orElse(false)) {
        users.put(name, entry.getValue());
        LOG.info("event=user_published user={}", LogSafe.value(name));
      }
    }
    for (Map.Entry<String, GridValue> entry : users.records().entrySet()) {
      JsonObject cluster = entry.getValue().value();
      if (!cluster.equals(local.get(entry.getKey()))) {
        if (local.containsKey(entry.getKey())) {
          // Typically the bootstrap admin of a second node: the cluster already has one.
          LOG.warn("event=user_replaced_by_cluster_copy user={} file={}", LogSafe.value(entry.getKey()),
              file.path());
        }
        file.upsert(UserRecord.fromJson(cluster));
        local.put(entry.getKey(), cluster);
      }
    }
    lastLocal = local;
  }
}
