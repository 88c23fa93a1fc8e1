package io.keepcluster.node.cluster;

import com.hazelcast.map.IMap;
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
 * The user directory, cluster-wide: logins read the replicated map; {@link #sync()} publishes
 * users added to this node's {@code users.json} (the CLI writes there) and persists users
 * received from other nodes, so a node restarting alone still knows everybody.
 *
 * <p>At start the cluster's copy wins for a user both sides know ({@code putIfAbsent}); after
 * that, a local edit (the file changed since the last sync) is published over the cluster's copy.
 */
public final class ClusterUserDirectory implements UserLookup {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterUserDirectory.class);

  private final IMap<String, String> users;
  private final UserDirectoryFile file;
  private Map<String, String> lastLocal;

  public ClusterUserDirectory(HazelcastMember member, UserDirectoryFile file) {
    this.users = member.instance().getMap(HazelcastMember.USERS);
    this.file = file;
  }

  @Override
  public Optional<UserRecord> find(String username) {
    String json = users.get(username);
    return json == null ? Optional.empty() : Optional.of(UserRecord.fromJson(new JsonObject(json)));
  }

  /** One exchange between users.json and the cluster. Blocking; call from one thread. */
  public synchronized void sync() {
    Map<String, String> local = new HashMap<>();
    try {
      file.load().forEach((name, user) -> local.put(name, user.toJson().encode()));
    } catch (UserDirectoryException e) {
      LOG.warn("event=user_directory_invalid reason=\"{}\" action=skipping_sync", e.getMessage());
      return;
    }
    boolean first = lastLocal == null;
    for (Map.Entry<String, String> entry : local.entrySet()) {
      String name = entry.getKey();
      boolean changedHere = first || !entry.getValue().equals(lastLocal.get(name));
      if (first) {
        if (users.putIfAbsent(name, entry.getValue()) == null) {
          LOG.info("event=user_published user={}", LogSafe.value(name));
        }
      } else if (changedHere && !entry.getValue().equals(users.get(name))) {
        users.put(name, entry.getValue());
        LOG.info("event=user_published user={}", LogSafe.value(name));
      }
    }
    for (Map.Entry<String, String> entry : Map.copyOf(users).entrySet()) {
      if (!entry.getValue().equals(local.get(entry.getKey()))) {
        if (local.containsKey(entry.getKey())) {
          // Typically the bootstrap admin of a second node: the cluster already has one.
          LOG.warn("event=user_replaced_by_cluster_copy user={} file={}", LogSafe.value(entry.getKey()),
              file.path());
        }
        file.upsert(UserRecord.fromJson(new JsonObject(entry.getValue())));
        local.put(entry.getKey(), entry.getValue());
      }
    }
    lastLocal = local;
  }
}
