package io.keepcluster.node.users;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** Space-separated scope lists; a requested scope can only narrow what the user has. */
public final class Scopes {

  public static final String DEFAULT = "MAIL $DATA";

  private Scopes() {}

  public static Set<String> parse(String scopes) {
    Set<String> result = new LinkedHashSet<>();
    if (scopes != null) {
      Arrays.stream(scopes.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(result::add);
    }
    return result;
  }

  /** The granted scopes (in the user's order) that were also requested; all when none requested. */
  public static String narrow(String granted, String requested) {
    Set<String> grantedSet = parse(granted == null || granted.isBlank() ? DEFAULT : granted);
    if (requested == null || requested.isBlank()) {
      return String.join(" ", grantedSet);
    }
    Set<String> requestedSet = parse(requested);
    grantedSet.retainAll(requestedSet);
    return String.join(" ", grantedSet);
  }
}
