package io.keepcluster.node.keys;

import io.keepcluster.shared.keys.Keyset;
import java.util.Comparator;

/**
 * The deterministic choice of the one signing keyset, computed the same way on every node: the
 * newest certificate (notBefore) wins; on a tie the NAME that sorts last wins. Keycloak's
 * {@code DefaultKeyManager} makes the same kind of choice (priority, then id).
 */
public final class SignerRule {

  public static final Comparator<Keyset> PREFERENCE = Comparator
      .comparing(Keyset::notBefore)
      .thenComparing(Keyset::kid);

  private SignerRule() {}
}
