package io.keepcluster.node.grid;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The text a {@link SealedMap} stores in Hazelcast for one record:
 * {@code {"type","version","writer","sealed"}}, where {@code sealed} holds the value (and its
 * expiry) under AES-GCM and the clear fields are only hints: they are bound into the associated
 * data, so a change to any of them makes the record fail to open.
 */
final class RecordCodec {

  /** Values and envelopes larger than this are refused unread (a hostile member could put 1 GiB). */
  static final int MAX_ENVELOPE_CHARS = 1 << 20;

  private final String map;
  private final String type;
  private final RecordSeal seal;

  RecordCodec(String map, String type, RecordSeal seal) {
    this.map = map;
    this.type = type;
    this.seal = seal;
  }

  String encode(GridValue record) {
    JsonObject plain = new JsonObject().put("value", record.value());
    record.expires().ifPresent(at -> plain.put("expires", at.toEpochMilli()));
    RecordBinding binding = new RecordBinding(map, record.key(), type, record.version(), record.writer());
    return new JsonObject().put("type", type).put("version", record.version())
        .put("writer", record.writer())
        .put("sealed", seal.seal(binding, plain.encode().getBytes(StandardCharsets.UTF_8)))
        .encode();
  }

  GridValue decode(String key, String envelope) throws UnauthenticatedRecordException {
    if (envelope == null || envelope.length() > MAX_ENVELOPE_CHARS) {
      throw new UnauthenticatedRecordException("not a sealed record (missing or oversized)");
    }
    JsonObject outer;
    try {
      outer = new JsonObject(envelope);
    } catch (DecodeException | ClassCastException e) {
      throw new UnauthenticatedRecordException("not a sealed record (not a JSON envelope)");
    }
    if (!(outer.getValue("version") instanceof Number version)
        || !(outer.getValue("writer") instanceof String writer)
        || !(outer.getValue("sealed") instanceof String sealed)) {
      throw new UnauthenticatedRecordException("not a sealed record (envelope fields missing)");
    }
    RecordBinding binding = new RecordBinding(map, key, type, version.longValue(), writer);
    byte[] plain = seal.open(binding, sealed);
    try {
      JsonObject inner = new JsonObject(new String(plain, StandardCharsets.UTF_8));
      Long expires = inner.getLong("expires");
      return new GridValue(key, version.longValue(), writer, inner.getJsonObject("value"),
          Optional.ofNullable(expires).map(Instant::ofEpochMilli));
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      // Authentic but malformed: only a member holding the secret could write it, i.e. a bug.
      throw new UnauthenticatedRecordException("authentic but malformed record");
    }
  }
}
