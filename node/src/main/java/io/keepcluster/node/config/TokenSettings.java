package io.keepcluster.node.config;

import java.time.Duration;

/** Lifetimes, issuer and audience of the tokens this cluster issues and accepts. */
public record TokenSettings(
    Duration duration, Duration maxDuration, String issuer, String audience, Duration leeway) {}
