package io.keepcluster.node.cluster;

import com.hazelcast.map.IMap;
import java.util.List;
import java.util.Set;

/**
 * Whether this member holds the cluster's secret: the first member seals a known value into the
 * meta map, every later one must open it. A member that cannot flags itself, so the others do not
 * wait for acknowledgements it can never give.
 */
final class ClusterSecretCheck {

  private static final String SECRET_CHECK = "secret-check";
  private static final String MISMATCH_PREFIX = "secret-mismatch|";

  private ClusterSecretCheck() {}

  /** Checks the secret and sets or clears this member's mismatch flag; true when it matches. */
  static boolean verify(HazelcastMember member, ClusterCipher cipher) {
    IMap<String, String> meta = member.instance().getMap(HazelcastMember.META);
    String check = meta.get(SECRET_CHECK);
    if (check == null) {
      String mine = cipher.seal("keepcluster", SECRET_CHECK);
      String previous = meta.putIfAbsent(SECRET_CHECK, mine);
      check = previous == null ? mine : previous;
    }
    boolean matches;
    try {
      cipher.open(check, SECRET_CHECK);
      matches = true;
    } catch (ClusterCipher.SealException e) {
      matches = false;
    }
    String flag = MISMATCH_PREFIX + member.localNodeId();
    if (matches) {
      meta.remove(flag);
    } else {
      meta.put(flag, "true");
    }
    return matches;
  }

  /** The live members that did not flag a wrong secret. */
  static List<String> trustedMembers(HazelcastMember member) {
    Set<String> flags = member.instance().<String, String>getMap(HazelcastMember.META).keySet();
    return member.members().stream().filter(m -> !flags.contains(MISMATCH_PREFIX + m)).toList();
  }
}
