package io.keepcluster.node.status;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The current problems of this node, keyed by file or component, so a fix clears its entry. */
public final class Problems {

  private final Map<String, Problem> byFile = new ConcurrentHashMap<>();

  public void report(String file, String error) {
    byFile.put(file, new Problem(file, error));
  }

  public void clear(String file) {
    byFile.remove(file);
  }

  public List<Problem> all() {
    return byFile.values().stream().sorted(Comparator.comparing(Problem::file)).toList();
  }
}
