package io.keepcluster.node.keys;

import io.keepcluster.shared.config.KeysetDescriptors;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** The kid a {@code NAME.json} file claims, if it is a keyset descriptor at all. */
final class KeysetDescriptorName {

  private KeysetDescriptorName() {}

  static Optional<String> of(String fileName, String text) {
    try {
      if (!KeysetDescriptors.isDescriptor(new JsonObject(text))) {
        return Optional.empty();
      }
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    String base = fileName.substring(0, fileName.length() - ".json".length());
    return KeysetName.isValid(base) ? Optional.of(base) : Optional.empty();
  }
}
