package io.keepcluster.node.config;

import java.time.Duration;

/** How many failed logins suspend a user, and for how long. */
public record LockoutPolicy(int attempts, Duration suspension) {}
