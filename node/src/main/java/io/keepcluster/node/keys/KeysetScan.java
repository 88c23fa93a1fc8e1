package io.keepcluster.node.keys;

import io.keepcluster.shared.keys.Keyset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one look at the config folder found.
 *
 * @param loaded keysets whose files are complete and valid, by kid
 * @param described every kid that has a descriptor file, loadable or not (a keyset whose files are
 *     being rewritten is not "removed")
 * @param problems file name to reason, for every {@code *.json} or key file that could not be used
 * @param startedNanos {@link System#nanoTime()} when the scan began: files written before it are in it
 * @param findings identifies what was found: a scan that answers the previous findings again
 *     (nothing in the folder changed) carries the same value, every other scan a new one
 */
public record KeysetScan(Map<String, Keyset> loaded, Set<String> described, Map<String, String> problems,
    long startedNanos, long findings) {

  private static final AtomicLong FINDINGS = new AtomicLong();

  public KeysetScan {
    loaded = Map.copyOf(loaded);
    described = Set.copyOf(described);
    problems = Map.copyOf(problems);
  }

  /** New findings, from a scan that started at {@code startedNanos}. */
  public KeysetScan(Map<String, Keyset> loaded, Set<String> described, Map<String, String> problems,
      long startedNanos) {
    this(loaded, described, problems, startedNanos, FINDINGS.incrementAndGet());
  }

  /** The same findings again, from a later look at an unchanged folder. */
  public KeysetScan again(long startedNanos) {
    return new KeysetScan(loaded, described, problems, startedNanos, findings);
  }

  /**
   * Whether {@code other} carries the very same findings: the scanner answers its previous
   * findings again when nothing in the folder changed, so this is a complete and free test; an
   * equal result built anew counts as different (that is only safe).
   */
  public boolean sameFindings(KeysetScan other) {
    return other != null && findings == other.findings;
  }

  /** A scan that started now. */
  public KeysetScan(Map<String, Keyset> loaded, Set<String> described, Map<String, String> problems) {
    this(loaded, described, problems, System.nanoTime());
  }
}
