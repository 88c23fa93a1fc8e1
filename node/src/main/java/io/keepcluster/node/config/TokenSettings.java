package io.keepcluster.node.config;

import java.time.Duration;

/**
 * Lifetimes, issuer and audience of the tokens this cluster issues and accepts.
 *
 * @param issuer the cluster's {@code iss}: the same on every node, for every key, across rotations
 */
public record TokenSettings(
    Duration duration, Duration maxDuration, String issuer, String audience, Duration leeway) {

  public TokenSettings withIssuer(String next) {
    return new TokenSettings(duration, maxDuration, next, audience, leeway);
  }
}
