package io.keepcluster.shared.config;

import io.vertx.core.json.JsonObject;

/** Recognises DRAPI keyset descriptors among the {@code *.json} files of the config folder. */
public final class KeysetDescriptors {

  private KeysetDescriptors() {}

  public static boolean isDescriptor(JsonObject json) {
    return Boolean.TRUE.equals(json.getValue("JwtUsePubPrivKey"));
  }
}
