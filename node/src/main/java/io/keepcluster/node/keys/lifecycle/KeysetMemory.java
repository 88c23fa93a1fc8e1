package io.keepcluster.node.keys.lifecycle;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What this node remembers between planner passes, and nothing else: an immutable value the
 * planner turns into the next one.
 *
 * @param seenHere kids whose files this node's folder has held (seen by a scan, or written here)
 * @param deactivated retired kids whose local copy has been marked {@code "active": false}
 * @param localFingerprints kid to the fingerprint of the files this folder held for it
 * @param persistedAt kid to the {@link System#nanoTime()} when this node wrote its replicated
 *     copy, until a scan that started after the write has looked at the folder
 * @param previouslyDescribed the kids the previous scan found a descriptor for
 */
public record KeysetMemory(Set<String> seenHere, Set<String> deactivated,
    Map<String, String> localFingerprints, Map<String, Long> persistedAt,
    Set<String> previouslyDescribed) {

  public static final KeysetMemory EMPTY = new KeysetMemory(Set.of(), Set.of(), Map.of(), Map.of(), Set.of());

  public KeysetMemory {
    seenHere = Set.copyOf(seenHere);
    deactivated = Set.copyOf(deactivated);
    localFingerprints = Map.copyOf(localFingerprints);
    persistedAt = Map.copyOf(persistedAt);
    previouslyDescribed = Set.copyOf(previouslyDescribed);
  }

  /**
   * The outcome of a {@link KeysetAction.Persist} that wrote the files at {@code writtenAtNanos}:
   * written once, so if they vanish later an operator removed them (a retirement), and writing
   * them back would undo it.
   */
  public KeysetMemory persisted(String kid, String fingerprint, long writtenAtNanos) {
    Builder next = builder();
    next.persistedAt.put(kid, writtenAtNanos);
    next.seenHere.add(kid);
    next.localFingerprints.put(kid, fingerprint);
    return next.build();
  }

  Builder builder() {
    return new Builder(this);
  }

  /** The planner's working copy during one pass. */
  static final class Builder {
    final Set<String> seenHere;
    final Set<String> deactivated;
    final Map<String, String> localFingerprints;
    final Map<String, Long> persistedAt;
    Set<String> previouslyDescribed;

    private Builder(KeysetMemory from) {
      seenHere = new HashSet<>(from.seenHere);
      deactivated = new HashSet<>(from.deactivated);
      localFingerprints = new HashMap<>(from.localFingerprints);
      persistedAt = new HashMap<>(from.persistedAt);
      previouslyDescribed = from.previouslyDescribed;
    }

    KeysetMemory build() {
      return new KeysetMemory(seenHere, deactivated, localFingerprints, persistedAt, previouslyDescribed);
    }
  }
}
