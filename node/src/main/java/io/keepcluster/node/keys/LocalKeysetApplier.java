package io.keepcluster.node.keys;

import io.keepcluster.node.health.Problems;
import io.keepcluster.shared.keys.Keyset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what a scan of this node's own folder found to the registry (single-node mode).
 *
 * <p>A problem is reported (health and log) only once it has persisted for a grace period: a
 * keyset copied file by file is incomplete for a moment, and is retried on the next scan rather
 * than reported as broken.
 */
public final class LocalKeysetApplier implements Consumer<KeysetScan> {

  private static final Logger LOG = LoggerFactory.getLogger(LocalKeysetApplier.class);

  private final KeysetRegistry registry;
  private final Problems problems;
  private final Clock clock;
  private final Duration grace;
  private final Map<String, Instant> firstSeen = new HashMap<>();
  private final Set<String> reported = new HashSet<>();
  private boolean firstScan = true;

  public LocalKeysetApplier(KeysetRegistry registry, Problems problems, Clock clock, Duration grace) {
    this.registry = registry;
    this.problems = problems;
    this.clock = clock;
    this.grace = grace;
  }

  @Override
  public void accept(KeysetScan scan) {
    Map<String, String> current = new HashMap<>(scan.problems());
    for (Keyset keyset : scan.loaded().values()) {
      var existing = registry.get(keyset.kid());
      if (existing.isPresent() && !existing.get().fingerprint().equals(keyset.fingerprint())) {
        current.put(keyset.kid() + ".json", "keyset " + keyset.kid()
            + " is already loaded with different key material; a NAME never changes keys, use a new NAME");
        continue;
      }
      registry.put(keyset, true);
    }
    for (Keyset known : registry.all()) {
      if (!scan.described().contains(known.kid()) && !registry.isRetired(known.kid())) {
        registry.retire(known.kid());
      }
    }
    registry.dropExpired();
    // At start-up nothing is being copied yet: report at once.
    report(current, firstScan);
    firstScan = false;
  }

  private void report(Map<String, String> current, boolean immediately) {
    Instant now = clock.instant();
    firstSeen.keySet().retainAll(current.keySet());
    for (String file : new HashSet<>(reported)) {
      if (!current.containsKey(file)) {
        problems.clear(file);
        reported.remove(file);
        LOG.info("event=config_problem_resolved file={}", file);
      }
    }
    current.forEach((file, error) -> {
      Instant since = firstSeen.computeIfAbsent(file, f -> now);
      if (immediately || !now.isBefore(since.plus(grace))) {
        problems.report(file, error);
        if (reported.add(file)) {
          LOG.warn("event=config_problem file={} error=\"{}\"", file, error);
        }
      }
    });
  }
}
