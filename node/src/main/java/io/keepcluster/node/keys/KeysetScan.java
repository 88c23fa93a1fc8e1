package io.keepcluster.node.keys;

import io.keepcluster.shared.keys.Keyset;
import java.util.Map;
import java.util.Set;

/**
 * What one look at the config folder found.
 *
 * @param loaded keysets whose files are complete and valid, by kid
 * @param described every kid that has a descriptor file, loadable or not (a keyset whose files are
 *     being rewritten is not "removed")
 * @param problems file name to reason, for every {@code *.json} or key file that could not be used
 * @param startedNanos {@link System#nanoTime()} when the scan began: files written before it are in it
 */
public record KeysetScan(Map<String, Keyset> loaded, Set<String> described, Map<String, String> problems,
    long startedNanos) {

  public KeysetScan {
    loaded = Map.copyOf(loaded);
    described = Set.copyOf(described);
    problems = Map.copyOf(problems);
  }

  /** A scan that started now. */
  public KeysetScan(Map<String, Keyset> loaded, Set<String> described, Map<String, String> problems) {
    this(loaded, described, problems, System.nanoTime());
  }
}
