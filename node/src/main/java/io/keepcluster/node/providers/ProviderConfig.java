package io.keepcluster.node.providers;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of the {@code jwt} section, validated: where its keys come from, which issuer,
 * audiences and algorithms it vouches for, and how its claims name a user. Immutable.
 *
 * @param algorithms the allow-list, asymmetric algorithms only, in the configured order
 * @param audiences a token's {@code aud} must contain at least one of these
 * @param userIdentifier the claim naming the user; empty: the default order
 *     ({@link ProviderConfigParser#DEFAULT_IDENTITY_CLAIMS})
 */
public record ProviderConfig(String name, boolean active, KeySource keys, String issuer,
    List<String> audiences, List<JWSAlgorithm> algorithms, Optional<String> userIdentifier) {

  public ProviderConfig {
    audiences = List.copyOf(audiences);
    algorithms = List.copyOf(algorithms);
  }

  public Set<JWSAlgorithm> allowed() {
    return Set.copyOf(algorithms);
  }

  /** Where a provider's verification keys come from. */
  public sealed interface KeySource permits Discovery, StaticKey {}

  /** The provider's discovery document, whose {@code jwks_uri} is fetched and cached. */
  public record Discovery(URI discoveryUrl) implements KeySource {}

  /** One public key from a PEM file, with the kid and algorithm the configuration gives it. */
  public record StaticKey(String kid, PublicKey publicKey, String file) implements KeySource {}
}
