package io.keepcluster.node.users;

import io.keepcluster.shared.users.UserEntry;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where the directory's entries are shared with other nodes. Reads answer this node's authentic
 * copy and never block; {@link #publish} does not wait for the other nodes.
 */
public interface UserReplica {

  /** A node on its own: nothing is shared. */
  UserReplica NONE = new UserReplica() {
    @Override
    public Set<String> names() {
      return Set.of();
    }

    @Override
    public Optional<UserEntry> get(String username) {
      return Optional.empty();
    }

    @Override
    public void publish(UserEntry entry) {
    }

    @Override
    public void onChange(Consumer<String> listener) {
    }
  };

  /** Every username the replica holds an entry for (users and tombstones). */
  Set<String> names();

  Optional<UserEntry> get(String username);

  void publish(UserEntry entry);

  /** Called with the username after each authentic change (any thread; keep it cheap). */
  void onChange(Consumer<String> listener);
}
