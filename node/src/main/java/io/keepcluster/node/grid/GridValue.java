package io.keepcluster.node.grid;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * One authentic record of a {@link SealedMap}: the value and what the seal bound it to. The
 * version orders the writes of one key cluster-wide (a hybrid logical clock: wall-clock millis,
 * but always past the version it replaces), so a replayed older record is recognised.
 */
public record GridValue(String key, long version, String writer, JsonObject value,
    Optional<Instant> expires) {

  public GridValue {
    value = value.copy();
  }

  @Override
  public JsonObject value() {
    return value.copy();
  }

  boolean expiredAt(Instant now) {
    return expires.map(at -> !now.isBefore(at)).orElse(false);
  }
}
