package io.keepcluster.node.status;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current problems of this node, keyed by file or component, so a fix clears its entry. The
 * {@link ProblemKind} of each decides what it does to health: most leave the node UP, a few turn
 * {@code /health} DEGRADED, and the node's own inability to work (wrong secret, grid lost, config
 * that would not start) also makes it unready.
 */
public final class Problems {

  private final Map<String, Problem> byFile = new ConcurrentHashMap<>();

  public void report(ProblemKind kind, String file, String error) {
    byFile.put(file, new Problem(kind, file, error));
  }

  /** A problem without a kind of its own ({@link ProblemKind#OTHER}): listed, the node stays UP. */
  public void report(String file, String error) {
    report(ProblemKind.OTHER, file, error);
  }

  public void clear(String file) {
    byFile.remove(file);
  }

  /** True while any problem that turns {@code /health} DEGRADED is reported. */
  public boolean degraded() {
    return byFile.values().stream().anyMatch(Problem::degrading);
  }

  /** True while any problem that takes the node out of service is reported. */
  public boolean unready() {
    return byFile.values().stream().anyMatch(Problem::unready);
  }

  /** How many problems of {@code kind} are reported now (the {@code keepcluster_problems} gauge). */
  public int count(ProblemKind kind) {
    return (int) byFile.values().stream().filter(p -> p.kind() == kind).count();
  }

  public List<Problem> all() {
    return byFile.values().stream().sorted(Comparator.comparing(Problem::file)).toList();
  }
}
