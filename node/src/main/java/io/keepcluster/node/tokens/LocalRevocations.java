package io.keepcluster.node.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Node-local deny-list; expired entries are dropped lazily so the maps cannot grow without bound. */
public final class LocalRevocations implements Revocations {

  private final Clock clock;
  private final Duration maxTokenLifetime;
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
  private final Map<String, Instant> cutOffs = new ConcurrentHashMap<>();

  public LocalRevocations(Clock clock) {
    this(clock, Duration.ofDays(1));
  }

  /** @param maxTokenLifetime how long a cut-off must be kept: no token outlives it */
  public LocalRevocations(Clock clock, Duration maxTokenLifetime) {
    this.clock = clock;
    this.maxTokenLifetime = maxTokenLifetime;
  }

  @Override
  public void revoke(String jwtId, Instant tokenExpiry) {
    Instant now = clock.instant();
    revoked.values().removeIf(expiry -> expiry.isBefore(now));
    revoked.put(jwtId, tokenExpiry);
  }

  @Override
  public boolean isRevoked(String jwtId) {
    return jwtId != null && revoked.containsKey(jwtId);
  }

  @Override
  public void revokeIssuedUpTo(String subject, Instant at) {
    Instant oldest = clock.instant().minus(maxTokenLifetime);
    cutOffs.values().removeIf(cut -> cut.isBefore(oldest));
    cutOffs.merge(subject, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  @Override
  public boolean isCutOff(String subject, Instant issuedAt) {
    return CutOff.applies(subject == null ? null : cutOffs.get(subject), issuedAt);
  }
}
