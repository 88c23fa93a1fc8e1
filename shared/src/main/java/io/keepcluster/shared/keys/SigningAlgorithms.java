package io.keepcluster.shared.keys;

import java.util.List;
import java.util.Set;

/** The JWS algorithms a keyset may sign with: the RSA ones by choice, the EC one by its curve. */
public final class SigningAlgorithms {

  /** For RSA keys ({@code "JwsAlgorithm"} in the descriptor; RS256 when absent). */
  public static final Set<String> RSA = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");

  /**
   * Every algorithm any keyset may sign with, RS256 first (OpenID Connect requires it). What a
   * cluster can ever sign with, so clients that copy the list once never meet a newcomer.
   */
  public static final List<String> ALL =
      List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

  private SigningAlgorithms() {}
}
