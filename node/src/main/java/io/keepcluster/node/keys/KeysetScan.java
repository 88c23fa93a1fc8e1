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
 */
public record KeysetScan(Map<String, Keyset> loaded, Set<String> described, Map<String, String> problems) {

  public KeysetScan {
    loaded = Map.copyOf(loaded);
    described = Set.copyOf(described);
    problems = Map.copyOf(problems);
  }
}
