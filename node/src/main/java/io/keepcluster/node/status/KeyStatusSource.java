package io.keepcluster.node.status;

import io.vertx.core.json.JsonArray;

/** Supplies the per-keyset and per-provider entries of the health document. */
public interface KeyStatusSource {

  /** {@code [{"kid","alg","state","nodes"}]}. */
  JsonArray keysets();

  /** {@code [{"name","status","kids"}]}. */
  JsonArray providers();

  KeyStatusSource NONE = new KeyStatusSource() {
    @Override
    public JsonArray keysets() {
      return new JsonArray();
    }

    @Override
    public JsonArray providers() {
      return new JsonArray();
    }
  };
}
