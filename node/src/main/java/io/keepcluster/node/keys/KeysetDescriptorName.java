package io.keepcluster.node.keys;

import io.keepcluster.shared.config.KeysetDescriptors;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** The kid a {@code NAME.json} file claims, if it is a keyset descriptor at all. */
final class KeysetDescriptorName {

  private KeysetDescriptorName() {}

  static Optional<String> of(String fileName, String text) {
    String base = fileName.substring(0, fileName.length() - ".json".length());
    try {
      if (!KeysetDescriptors.isDescriptor(new JsonObject(text))) {
        return Optional.empty();
      }
    } catch (RuntimeException e) {
      // Not parseable (e.g. half-written by an editor): it may still be NAME's descriptor, so it
      // must not count as removed, or the signing keyset would retire on every in-place save.
      return KeysetName.isValid(base) ? Optional.of(base) : Optional.empty();
    }
    return KeysetName.isValid(base) ? Optional.of(base) : Optional.empty();
  }
}
