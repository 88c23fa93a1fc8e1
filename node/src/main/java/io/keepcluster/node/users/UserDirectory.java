package io.keepcluster.node.users;

import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.shared.users.InvalidUserException;
import io.keepcluster.shared.users.UserDirectoryException;
import io.keepcluster.shared.users.UserDirectoryFile;
import io.keepcluster.shared.users.UserEntry;
import io.keepcluster.shared.users.UserRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's user directory: an in-memory map (logins read it, no file I/O on the login path)
 * kept in step with {@code DIR/directory/users.json} and with the other nodes' copies.
 *
 * <p>One thread applies every change, in passes triggered by events: the file changed (the CLI,
 * a hand edit), the replica changed (a delta per user), or the management API changed a user.
 * A pass reads the file only when it changed on disk, merges by {@link UserEntry#newer} (versions
 * and tombstones, so removals win over stale copies), publishes what this node has newer, and
 * persists the result with ONE atomic write. Slow backstop passes look at the file's stamp (every
 * 15 s) and compare every user with the replica (every 5 min), for events that were lost. Changes this node originated get their effects ({@link UserChangeEffects}).
 */
public final class UserDirectory implements UserLookup, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);
  /** Pause after the first event of a burst: many users arriving at once make one pass and one write. */
  private static final Duration DEBOUNCE = Duration.ofMillis(50);
  /**
   * Least time between two rewrites of the file: while thousands of users stream in from the grid,
   * memory (what logins read) follows every event and the file follows in a few whole writes.
   */
  private static final Duration WRITE_GAP = Duration.ofSeconds(1);
  /** The backstop for lost file events: compares the file's stamp, nothing else, when nothing changed. */
  private static final Duration BACKSTOP = Duration.ofSeconds(15);
  /**
   * Every this many backstop passes, every user is compared with the replica as well. The replica
   * reports each authentic change in-process (and runs its own backstop against the grid), so this
   * only guards against a lost callback; with 100,000 users, comparing all every 15 s cost the idle
   * node about 1 % of a core.
   */
  private static final int REPLICA_BACKSTOP_EVERY = 20;

  private record Change(UserEntry before, UserEntry after) {}

  private final UserDirectoryFile file;
  private final UserReplica replica;
  private final UserChangeEffects effects;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Map<String, UserEntry> current = new ConcurrentHashMap<>();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicInteger writes = new AtomicInteger();
  private volatile boolean fullScan;
  private volatile DirectoryWatch watch;
  // Owned by the executor thread.
  private Map<String, UserEntry> lastFile;
  private UserDirectoryFile.Stamp lastStamp;
  private UserDirectoryFile.Stamp invalidStamp;
  private long lastWriteNanos;
  private boolean writeScheduled;
  private int backstops;
  /**
   * Memory may differ from the file: set by every pass that read the file or changed memory, cleared
   * once they were compared equal or written, so an idle pass does not compare 100,000 users.
   */
  private boolean compare = true;

  public UserDirectory(UserDirectoryFile file, UserReplica replica, UserChangeEffects effects, Clock clock) {
    this.file = file;
    this.replica = replica;
    this.effects = effects;
    this.clock = clock;
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "keepcluster-users");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Loads the file and the replica (blocking), then follows both. */
  public void start() throws Exception {
    replica.onChange(name -> {
      dirty.add(name);
      schedule();
    });
    executor.submit(this::pass).get(60, TimeUnit.SECONDS);
    try {
      watch = DirectoryWatch.start(file.path(), this::schedule);
    } catch (IOException e) {
      LOG.warn("event=user_directory_watch_unavailable file={} reason=\"{}\" action=backstop_only",
          file.path(), e.getMessage());
    }
    executor.scheduleWithFixedDelay(() -> {
      fullScan = ++backstops % REPLICA_BACKSTOP_EVERY == 0;
      passQuietly();
    }, BACKSTOP.toMillis(), BACKSTOP.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("event=user_directory_loaded file={} users={}", file.path(), users().size());
  }

  @Override
  public Optional<UserRecord> find(String username) {
    UserEntry entry = current.get(username);
    return entry == null ? Optional.empty() : entry.activeUser();
  }

  /** The entry of {@code username} (user or tombstone), if this node knows one. */
  public Optional<UserEntry> entry(String username) {
    return Optional.ofNullable(current.get(username));
  }

  /** Every user that is not removed (active or disabled), by name. */
  public List<UserRecord> users() {
    List<UserRecord> users = new ArrayList<>();
    current.values().forEach(entry -> entry.record().ifPresent(users::add));
    users.sort(Comparator.comparing(UserRecord::username));
    return users;
  }

  /** How many times this node rewrote {@code users.json} (one per pass that changed something). */
  public int fileWrites() {
    return writes.get();
  }

  /**
   * Changes one user on the directory's thread: {@code edit} gets the current entry (or null) and
   * answers the new entry, or null for no change. The result gets a version past the current one,
   * is published, has its effects applied, and reaches the file with the next pass.
   */
  public CompletableFuture<Optional<UserEntry>> update(String username, UnaryOperator<UserEntry> edit,
      String origin) {
    return call(() -> {
      UserEntry before = current.get(username);
      UserEntry proposed = edit.apply(before);
      if (proposed == null) {
        return Optional.empty();
      }
      long version = before == null ? clock.millis() : before.nextVersion(clock.millis());
      UserEntry after = FileChanges.stamped(proposed, version);
      current.put(username, after);
      compare = true;
      replica.publish(after);
      effects.changed(before, after, origin);
      schedule();
      return Optional.of(after);
    });
  }

  /** Runs {@code work} on the directory's thread (in order with every change). */
  public <T> CompletableFuture<T> call(Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    executor.execute(() -> {
      try {
        result.complete(work.call());
      } catch (Exception | Error e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** Asks for a pass soon; bursts of calls make one pass. */
  public void schedule() {
    if (pending.compareAndSet(false, true)) {
      try {
        executor.schedule(() -> {
          pending.set(false);
          passQuietly();
        }, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pending.set(false); // closed
      }
    }
  }

  private void passQuietly() {
    try {
      pass();
    } catch (RuntimeException e) {
      LOG.warn("event=user_sync_failed reason=\"{}\"", e.toString());
    }
  }

  private void pass() {
    boolean first = lastFile == null;
    Set<String> names = new HashSet<>();
    if (first || fullScan) {
      fullScan = false;
      names.addAll(replica.names());
      names.addAll(current.keySet());
    }
    for (Iterator<String> it = dirty.iterator(); it.hasNext(); ) {
      names.add(it.next());
      it.remove();
    }
    List<Change> originated = new ArrayList<>();
    Set<String> publish = new HashSet<>();
    file.withLock(() -> {
      UserDirectoryFile.Stamp stamp = file.stamp();
      Map<String, UserEntry> onDisk = lastFile;
      boolean readable = !stamp.equals(invalidStamp);
      if (readable && (first || !stamp.equals(lastStamp))) {
        try {
          onDisk = file.entries();
          compare = true;
          invalidStamp = null;
          Map<String, UserEntry> changes = first ? onDisk
              : FileChanges.between(lastFile, onDisk, current, clock.millis());
          applyFromFile(changes, first, originated, publish);
        } catch (UserDirectoryException e) {
          LOG.error("event=user_directory_invalid file={} reason=\"{}\" action=keeping_previous",
              file.path(), e.getMessage());
          invalidStamp = stamp;
          readable = false;
        }
      }
      for (String name : names) {
        applyFromReplica(name, publish);
      }
      if (readable && onDisk != null) {
        persist(onDisk, stamp);
      }
      return null;
    });
    publish.forEach(name -> Optional.ofNullable(current.get(name)).ifPresent(replica::publish));
    for (Change change : originated) {
      try {
        effects.changed(change.before(), change.after(), "file");
      } catch (RuntimeException e) {
        LOG.warn("event=user_change_effects_failed user={} reason=\"{}\"",
            LogSafe.value(change.after().username()), e.toString());
      }
    }
  }

  private void applyFromFile(Map<String, UserEntry> changes, boolean first, List<Change> originated,
      Set<String> publish) {
    changes.forEach((name, fromFile) -> {
      UserEntry before = current.get(name);
      UserEntry shared = shared(name).orElse(null);
      UserEntry basis = UserEntry.newer(before, shared);
      if (first && fromFile.version() == 0 && basis != null) {
        // An unversioned user (a bootstrap admin, a file from before versions) on a node joining
        // a cluster that has this user: the cluster's copy is the user.
        if (!fromFile.equals(basis)) {
          LOG.info("event=user_adopted_from_cluster user={} file={}", LogSafe.value(name), file.path());
        }
        return;
      }
      if (fromFile.equals(basis)) {
        current.putIfAbsent(name, fromFile);
        return;
      }
      UserEntry winner = UserEntry.newer(basis, fromFile);
      if (winner != fromFile) {
        if (!first) {
          LOG.warn("event=user_file_edit_superseded user={} file={} reason=\"a newer change of this user"
              + " came from the cluster\"", LogSafe.value(name), file.path());
        }
        return;
      }
      if (basis != null && basis.version() == fromFile.version()) {
        LOG.warn("event=user_conflict user={} version={} action=kept_by_merge_rule", LogSafe.value(name),
            fromFile.version());
      }
      current.put(name, fromFile);
      publish.add(name);
      if (!first || shared != null) {
        // At start, only a change the cluster has not seen yet (made while this node was down).
        originated.add(new Change(first ? shared : before, fromFile));
      }
    });
  }

  /** The replica's entry; an authentic record this version cannot read counts as absent. */
  private Optional<UserEntry> shared(String name) {
    try {
      return replica.get(name);
    } catch (InvalidUserException e) {
      LOG.warn("event=user_record_invalid user={} reason=\"{}\" action=ignored", LogSafe.value(name),
          e.getMessage());
      return Optional.empty();
    }
  }

  private void applyFromReplica(String name, Set<String> publish) {
    Optional<UserEntry> shared = shared(name);
    UserEntry before = current.get(name);
    if (shared.isEmpty()) {
      if (before != null) {
        publish.add(name);
      }
      return;
    }
    UserEntry winner = UserEntry.newer(before, shared.get());
    if (winner == before) {
      if (!before.equals(shared.get())) {
        publish.add(name);
      }
      return;
    }
    current.put(name, winner);
    compare = true;
    LOG.debug("event=user_replicated user={} version={} removed={}", LogSafe.value(name), winner.version(),
        winner.removed());
  }

  /** The file gets what memory has, in one atomic write, only when they differ. */
  private void persist(Map<String, UserEntry> onDisk, UserDirectoryFile.Stamp stamp) throws IOException {
    lastFile = onDisk;
    lastStamp = stamp;
    if (!compare) {
      return;
    }
    if (current.equals(onDisk)) {
      compare = false;
      return;
    }
    long sinceLast = System.nanoTime() - lastWriteNanos;
    if (writes.get() > 0 && sinceLast < WRITE_GAP.toNanos()) {
      if (!writeScheduled) {
        writeScheduled = true;
        executor.schedule(() -> {
          writeScheduled = false;
          passQuietly();
        }, WRITE_GAP.toNanos() - sinceLast, TimeUnit.NANOSECONDS);
      }
      return;
    }
    Map<String, UserEntry> snapshot = Map.copyOf(current);
    file.write(snapshot.values());
    writes.incrementAndGet();
    compare = false;
    lastWriteNanos = System.nanoTime();
    lastFile = snapshot;
    lastStamp = file.stamp();
  }

  @Override
  public void close() {
    DirectoryWatch w = watch;
    if (w != null) {
      w.close();
    }
    executor.shutdownNow();
  }
}
