package io.keepcluster.node.tokens;

import java.time.Instant;

/**
 * What stops tokens before they expire: the deny-list of logged-out tokens, by {@code jti} (an
 * entry lives as long as its token), and per-subject cut-offs ("every token of this user issued
 * up to T is refused"), set when a user is removed, disabled or logged out everywhere.
 */
public interface Revocations {

  void revoke(String jwtId, Instant tokenExpiry);

  boolean isRevoked(String jwtId);

  /** Refuses every token of {@code subject} (the {@code sub} claim) issued at or before {@code at}. */
  void revokeIssuedUpTo(String subject, Instant at);

  /** True when a token of {@code subject} issued at {@code issuedAt} falls under a cut-off. */
  boolean isCutOff(String subject, Instant issuedAt);
}
