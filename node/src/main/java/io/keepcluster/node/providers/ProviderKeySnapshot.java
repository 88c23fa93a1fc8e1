package io.keepcluster.node.providers;

import io.keepcluster.node.keys.VerifyingCredential;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.List;

/**
 * One provider's keys at one moment, with what the last refresh said. Immutable: a refresh builds
 * the next one and publishes it whole.
 *
 * @param lastRefresh when keys were last fetched (or loaded) successfully
 * @param error the last refresh's problem, when it failed
 */
record ProviderKeySnapshot(Map<String, VerifyingCredential> keys, ProviderStatus status,
    Optional<Instant> lastRefresh, Optional<String> error) {

  ProviderKeySnapshot {
    keys = Map.copyOf(keys);
  }

  static ProviderKeySnapshot notFetchedYet() {
    return new ProviderKeySnapshot(Map.of(), ProviderStatus.UNREACHABLE, Optional.empty(),
        Optional.of("keys not fetched yet"));
  }

  static ProviderKeySnapshot inactive() {
    return new ProviderKeySnapshot(Map.of(), ProviderStatus.INACTIVE, Optional.empty(), Optional.empty());
  }

  static ProviderKeySnapshot fresh(Map<String, VerifyingCredential> keys, Instant at) {
    return new ProviderKeySnapshot(keys, ProviderStatus.OK, Optional.of(at), Optional.empty());
  }

  /** The same keys, with the failure of the refresh that could not replace them. */
  ProviderKeySnapshot failed(ProviderStatus failure, String problem) {
    return new ProviderKeySnapshot(keys, failure, lastRefresh, Optional.of(problem));
  }

  List<String> kids() {
    return List.copyOf(new TreeSet<>(keys.keySet()));
  }
}
