package io.keepcluster.node.providers;

import java.time.Duration;

/**
 * When a provider's JWKS is fetched again.
 *
 * @param minTtl the shortest time a fetched JWKS is used (a {@code max-age} below is raised to it)
 * @param maxTtl the longest (a {@code max-age} above, or none at all, is lowered to it)
 * @param defaultTtl when the server sends no {@code max-age}
 * @param retryAfterFailure the next try after a failed fetch
 * @param unknownKidInterval at most one refetch per this interval for tokens with an unknown kid
 * @param fetchTimeout connect, idle and total deadline of each GET
 */
public record RefreshRules(Duration minTtl, Duration maxTtl, Duration defaultTtl,
    Duration retryAfterFailure, Duration unknownKidInterval, Duration fetchTimeout) {

  public static final RefreshRules DEFAULT = new RefreshRules(Duration.ofSeconds(60),
      Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofSeconds(30),
      Duration.ofSeconds(10));

  Duration ttl(java.util.Optional<Duration> maxAge) {
    Duration wanted = maxAge.orElse(defaultTtl);
    if (wanted.compareTo(minTtl) < 0) {
      return minTtl;
    }
    return wanted.compareTo(maxTtl) > 0 ? maxTtl : wanted;
  }
}
