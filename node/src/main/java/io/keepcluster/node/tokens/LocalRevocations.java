package io.keepcluster.node.tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Node-local deny-list; expired entries are dropped lazily so the map cannot grow without bound. */
public final class LocalRevocations implements Revocations {

  private final Clock clock;
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

  public LocalRevocations(Clock clock) {
    this.clock = clock;
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
}
