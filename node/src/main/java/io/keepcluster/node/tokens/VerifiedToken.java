package io.keepcluster.node.tokens;

import com.nimbusds.jwt.JWTClaimsSet;
import io.keepcluster.node.keys.KeySource;
import java.time.Instant;
import java.util.Optional;

/**
 * A token that passed every check, with the key that vouched for it.
 *
 * @param external for a provider's token: the provider and the identity and scope mapped from
 *     its claims; empty for the cluster's own tokens
 */
public record VerifiedToken(JWTClaimsSet claims, String kid, KeySource source, Instant expiresAt,
    Optional<ExternalIdentity> external) {

  /** A token of the cluster's own keys. */
  public VerifiedToken(JWTClaimsSet claims, String kid, KeySource source, Instant expiresAt) {
    this(claims, kid, source, expiresAt, Optional.empty());
  }

  public String jwtId() {
    return claims.getJWTID();
  }
}
