package io.keepcluster.node.tokens;

import java.time.Instant;

/** The one comparison behind a per-subject cut-off, shared by the local and the cluster deny-lists. */
public final class CutOff {

  private CutOff() {}

  /**
   * {@code iat} has whole seconds, so a token issued in the same second as the cut-off, before
   * it, cannot be told from one issued after: it is refused too (fail closed), and a token without
   * {@code iat} falls under any cut-off.
   */
  public static boolean applies(Instant cutOff, Instant issuedAt) {
    if (cutOff == null) {
      return false;
    }
    return issuedAt == null || issuedAt.getEpochSecond() <= cutOff.getEpochSecond();
  }
}
