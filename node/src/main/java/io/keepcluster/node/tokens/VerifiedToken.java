package io.keepcluster.node.tokens;

import com.nimbusds.jwt.JWTClaimsSet;
import io.keepcluster.node.keys.KeySource;
import java.time.Instant;

/** A token that passed every check, with the key that vouched for it. */
public record VerifiedToken(JWTClaimsSet claims, String kid, KeySource source, Instant expiresAt) {

  public String jwtId() {
    return claims.getJWTID();
  }
}
