package io.keepcluster.node.tokens;

import java.time.Instant;

/** The deny-list of logged-out tokens, by {@code jti}; an entry lives as long as its token. */
public interface Revocations {

  void revoke(String jwtId, Instant tokenExpiry);

  boolean isRevoked(String jwtId);
}
