package io.keepcluster.node.cluster;

import io.keepcluster.shared.keys.Keyset;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * A keyset as replicated through Hazelcast: the public files in clear, the private key sealed
 * with the cluster secret, its fingerprint, and its cluster-wide state. Stored as JSON text so
 * the map needs no custom serialization.
 */
public record KeysetRecord(
    String kid, String fingerprint, String descriptorJson, String certificatePem,
    String publicKeyPem, String sealedPrivateKey, State state, Instant publishedAt,
    Optional<Instant> retiredAt, String origin) {

  /**
   * Cluster-wide lifecycle of a keyset. REVOKED and EXPIRED are tombstones: the grid has no
   * physical delete (a removal is indistinguishable from tampering), so an end is a newer record.
   */
  public enum State { ACTIVE, RETIRED, REVOKED, EXPIRED }

  public static KeysetRecord of(Keyset keyset, ClusterCipher cipher, Instant now, String origin) {
    KeysetFiles files = keyset.files();
    State state = keyset.active() ? State.ACTIVE : State.RETIRED;
    return new KeysetRecord(keyset.kid(), keyset.fingerprint(), files.descriptorJson(),
        files.certificatePem(), files.publicKeyPem(),
        cipher.seal(files.privateKeyPem(), associatedData(keyset.kid(), keyset.fingerprint())),
        state, now, state == State.RETIRED ? Optional.of(now) : Optional.empty(), origin);
  }

  /** The four files again, private key opened with the cluster secret. */
  public KeysetFiles open(ClusterCipher cipher) throws ClusterCipher.SealException {
    String privateKeyPem = cipher.open(sealedPrivateKey, associatedData(kid, fingerprint));
    return new KeysetFiles(KeysetName.of(kid), descriptorJson, certificatePem, privateKeyPem, publicKeyPem);
  }

  /** True while the keyset verifies somewhere (not revoked, not expired). */
  public boolean live() {
    return state == State.ACTIVE || state == State.RETIRED;
  }

  public KeysetRecord withState(State next) {
    return new KeysetRecord(kid, fingerprint, descriptorJson, certificatePem, publicKeyPem,
        sealedPrivateKey, next, publishedAt, retiredAt, origin);
  }

  public KeysetRecord retired(Instant at) {
    return new KeysetRecord(kid, fingerprint, descriptorJson, certificatePem, publicKeyPem,
        sealedPrivateKey, State.RETIRED, publishedAt, Optional.of(retiredAt.orElse(at)), origin);
  }

  private static String associatedData(String kid, String fingerprint) {
    return "keyset:" + kid + ":" + fingerprint;
  }

  public String toJson() {
    return toJsonObject().encode();
  }

  public JsonObject toJsonObject() {
    JsonObject json = new JsonObject()
        .put("kid", kid).put("fingerprint", fingerprint).put("descriptor", descriptorJson)
        .put("certificate", certificatePem).put("publicKey", publicKeyPem)
        .put("sealedPrivateKey", sealedPrivateKey).put("state", state.name())
        .put("publishedAt", publishedAt.toEpochMilli()).put("origin", origin);
    retiredAt.ifPresent(at -> json.put("retiredAt", at.toEpochMilli()));
    return json;
  }

  public static KeysetRecord fromJson(String text) {
    return fromJson(new JsonObject(text));
  }

  public static KeysetRecord fromJson(JsonObject json) {
    Long retired = json.getLong("retiredAt");
    return new KeysetRecord(json.getString("kid"), json.getString("fingerprint"),
        json.getString("descriptor"), json.getString("certificate"), json.getString("publicKey"),
        json.getString("sealedPrivateKey"), State.valueOf(json.getString("state")),
        Instant.ofEpochMilli(json.getLong("publishedAt")),
        Optional.ofNullable(retired).map(Instant::ofEpochMilli), json.getString("origin"));
  }

  @Override
  public String toString() {
    return "KeysetRecord[kid=" + kid + ", fingerprint=" + fingerprint + ", state=" + state + "]";
  }
}
