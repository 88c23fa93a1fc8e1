package io.keepcluster.node.keys;

import io.keepcluster.node.health.ProblemReporter;
import io.keepcluster.shared.keys.Keyset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Applies what a scan of this node's own folder found to the registry (single-node mode): new
 * keysets sign at once, removed or {@code "active": false} keysets retire, and a NAME never
 * changes its key material.
 */
public final class LocalKeysetApplier implements Consumer<KeysetScan> {

  private final KeysetRegistry registry;
  private final ProblemReporter problems;
  private boolean firstScan = true;

  public LocalKeysetApplier(KeysetRegistry registry, ProblemReporter problems) {
    this.registry = registry;
    this.problems = problems;
  }

  @Override
  public void accept(KeysetScan scan) {
    Map<String, String> current = new HashMap<>(scan.problems());
    for (Keyset keyset : scan.loaded().values()) {
      var existing = registry.get(keyset.kid());
      if (existing.isPresent() && !existing.get().fingerprint().equals(keyset.fingerprint())) {
        current.put(keyset.kid() + ".json", KeysetConflict.message(keyset.kid()));
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
    problems.update(current, firstScan);
    firstScan = false;
  }
}
