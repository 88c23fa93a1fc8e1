package io.keepcluster.node.config;

/**
 * How much password hashing a node takes on at once (config key {@code login}). Logins and
 * management Basic auth share one pool: at most {@code hashingThreads} hashes run, at most
 * {@code maxQueued} wait, and anything beyond is refused at once with 503.
 *
 * @param hashingThreads hashes computed at the same time (default: one per core)
 * @param maxQueued hashes waiting for a thread (default: four per hashing thread)
 */
public record LoginLimits(int hashingThreads, int maxQueued) {

  public LoginLimits {
    if (hashingThreads < 1 || maxQueued < 0) {
      throw new IllegalArgumentException("login limits out of range");
    }
  }
}
