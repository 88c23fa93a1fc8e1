package io.keepcluster.node.keys.lifecycle;

import io.keepcluster.node.keys.KeysetStatus;
import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A keyset as the cluster shares it: its four files, fingerprint and cluster-wide status. A plain
 * immutable value with a JSON form; it holds the private key in clear, so it must only travel
 * through a store that seals it (the grid seals every whole record) and {@link #toString()}
 * never shows key material.
 *
 * @param status VERIFYING, RETIRING, GONE or REVOKED (never SIGNING: that is a node's choice)
 * @param origin the node id that published it (its files there are the operator's, not a copy)
 */
public record KeysetRecord(
    String kid, String fingerprint, String descriptorJson, String certificatePem,
    String publicKeyPem, String privateKeyPem, KeysetStatus status, Instant publishedAt,
    Optional<Instant> retiredAt, String origin) {

  public KeysetRecord {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(publishedAt, "publishedAt");
    Objects.requireNonNull(retiredAt, "retiredAt");
    if (status == KeysetStatus.SIGNING || status == KeysetStatus.PUBLISHED) {
      throw new IllegalArgumentException("a record is never " + status + ": kid " + kid);
    }
  }

  /** The record this node publishes for a keyset found in its own folder. */
  public static KeysetRecord of(Keyset keyset, Instant now, String origin) {
    KeysetFiles files = keyset.files();
    KeysetStatus status = keyset.active() ? KeysetStatus.VERIFYING : KeysetStatus.RETIRING;
    return new KeysetRecord(keyset.kid(), keyset.fingerprint(), files.descriptorJson(),
        files.certificatePem(), files.publicKeyPem(), files.privateKeyPem(), status, now,
        status == KeysetStatus.RETIRING ? Optional.of(now) : Optional.empty(), origin);
  }

  /** The four files again. */
  public KeysetFiles files() {
    return new KeysetFiles(KeysetName.of(kid), descriptorJson, certificatePem, privateKeyPem, publicKeyPem);
  }

  /** Retired as of {@code at}, or as of the first retirement when it already was. */
  public KeysetRecord retired(Instant at) {
    return with(KeysetStatus.RETIRING, Optional.of(retiredAt.orElse(at)));
  }

  /** Its tokens have all expired: a tombstone. */
  public KeysetRecord gone() {
    return with(KeysetStatus.GONE, retiredAt);
  }

  /** Revoked by an operator: a tombstone. */
  public KeysetRecord revoked() {
    return with(KeysetStatus.REVOKED, retiredAt);
  }

  private KeysetRecord with(KeysetStatus next, Optional<Instant> nextRetiredAt) {
    return new KeysetRecord(kid, fingerprint, descriptorJson, certificatePem, publicKeyPem,
        privateKeyPem, next, publishedAt, nextRetiredAt, origin);
  }

  public String toJson() {
    JsonObject json = new JsonObject()
        .put("kid", kid).put("fingerprint", fingerprint).put("descriptor", descriptorJson)
        .put("certificate", certificatePem).put("publicKey", publicKeyPem)
        .put("privateKey", privateKeyPem).put("status", status.name())
        .put("publishedAt", publishedAt.toEpochMilli()).put("origin", origin);
    retiredAt.ifPresent(at -> json.put("retiredAt", at.toEpochMilli()));
    return json.encode();
  }

  /** Reads {@link #toJson()}; throws {@link IllegalArgumentException} on anything else. */
  public static KeysetRecord fromJson(String text) {
    try {
      JsonObject json = new JsonObject(text);
      Long retired = json.getLong("retiredAt");
      return new KeysetRecord(json.getString("kid"), json.getString("fingerprint"),
          json.getString("descriptor"), json.getString("certificate"), json.getString("publicKey"),
          json.getString("privateKey"), KeysetStatus.valueOf(json.getString("status")),
          Instant.ofEpochMilli(json.getLong("publishedAt")),
          Optional.ofNullable(retired).map(Instant::ofEpochMilli), json.getString("origin"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a keyset record: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "KeysetRecord[kid=" + kid + ", fingerprint=" + fingerprint + ", status=" + status
        + ", origin=" + origin + "]";
  }
}
