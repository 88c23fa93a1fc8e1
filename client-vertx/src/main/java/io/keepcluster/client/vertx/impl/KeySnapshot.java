package io.keepcluster.client.vertx.impl;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The key set as last fetched, frozen: keys by kid, the issuers tokens may name, and when to look
 * again. Replaced whole by {@link KeySetCache}; never changed in place.
 *
 * @param keys keys by kid; empty means every token is refused
 * @param issuers accepted {@code iss} values
 * @param fetchedAt when the JWKS in it was fetched
 * @param refreshAt from this instant on, the next lookup refetches first
 */
public record KeySnapshot(Map<String, VerificationKey> keys, Set<String> issuers, Instant fetchedAt,
    Instant refreshAt) {

  public KeySnapshot {
    keys = Map.copyOf(keys);
    issuers = Set.copyOf(issuers);
  }

  public Optional<VerificationKey> key(String kid) {
    return Optional.ofNullable(keys.get(kid));
  }

  public boolean isStale(Instant now) {
    return !now.isBefore(refreshAt);
  }

  /** The same keys, looked at again no earlier than {@code next} (after a failed refresh). */
  public KeySnapshot retryAt(Instant next) {
    return new KeySnapshot(keys, issuers, fetchedAt, next);
  }
}
