package io.keepcluster.node.users;

import io.keepcluster.shared.users.UserEntry;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A grid stand-in shared by several directories in one test: the last write of a key wins (as
 * with the sealed map's newer record), and every directory hears of every change, key by key.
 */
final class MemoryReplica {

  private final Map<String, UserEntry> entries = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  void put(UserEntry entry) {
    entries.put(entry.username(), entry);
    listeners.forEach(listener -> listener.accept(entry.username()));
  }

  Optional<UserEntry> get(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** One node's view. */
  UserReplica view() {
    return new UserReplica() {
      @Override
      public Set<String> names() {
        return Set.copyOf(entries.keySet());
      }

      @Override
      public Optional<UserEntry> get(String username) {
        return MemoryReplica.this.get(username);
      }

      @Override
      public void publish(UserEntry entry) {
        put(entry);
      }

      @Override
      public void onChange(Consumer<String> listener) {
        listeners.add(listener);
      }
    };
  }
}
