package io.keepcluster.node.users;

import io.keepcluster.node.logging.LogSafe;

/**
 * The lockout count an attempt goes to. Unknown names are counted too (same work, same suspension
 * after the limit, so neither timing nor lockout tells them apart from real users), but apart
 * from real users: a user added later, or not yet replicated to this node, starts with a clean
 * count. {@code /} cannot occur in a username, so the two never meet.
 */
public final class LockoutKey {

  private static final String UNKNOWN_PREFIX = "unknown/";

  private LockoutKey() {}

  public static String of(String name, boolean known) {
    return known ? name : UNKNOWN_PREFIX + name;
  }

  /** How a lockout key may appear in the log: an unknown name only as a fingerprint. */
  public static String forLog(String key) {
    return key.startsWith(UNKNOWN_PREFIX) ? LogSafe.unknownName(key.substring(UNKNOWN_PREFIX.length()))
        : LogSafe.value(key);
  }
}
