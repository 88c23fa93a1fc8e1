package io.keepcluster.node.status;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current problems of this node, keyed by file or component, so a fix clears its entry.
 *
 * <p>Most problems are about one file and leave the node UP. A component that cannot do its job
 * (a keyset scanner that had to be restarted, say) reports with {@link #reportDegraded}: the node
 * stays in service but {@code /health} says {@code DEGRADED} (503) until the component clears it.
 */
public final class Problems {

  private final Map<String, Problem> byFile = new ConcurrentHashMap<>();

  public void report(String file, String error) {
    byFile.put(file, new Problem(file, error, false));
  }

  /** Reports a problem that turns {@code /health} DEGRADED until {@link #clear} of the same key. */
  public void reportDegraded(String component, String error) {
    byFile.put(component, new Problem(component, error, true));
  }

  public void clear(String file) {
    byFile.remove(file);
  }

  /** True while any degrading problem is reported. */
  public boolean degraded() {
    return byFile.values().stream().anyMatch(Problem::degrading);
  }

  public List<Problem> all() {
    return byFile.values().stream().sorted(Comparator.comparing(Problem::file)).toList();
  }
}
