package io.keepcluster.node.keys.lifecycle;

import java.util.List;
import java.util.Map;

/**
 * The shared state of the keyset lifecycle, and the only way the lifecycle sees it: one record per
 * NAME, and which member verifies which key material. A single node is a cluster of one
 * ({@link InMemoryKeysetStore}); a cluster member shares it through the grid.
 *
 * <p>Records are never physically deleted: retirement, revocation and expiry are status changes
 * (a tombstone stays), because the grid treats a delete it cannot authenticate as tampering.
 */
public interface KeysetStore {

  /** Every record, tombstones included, by kid. */
  Map<String, KeysetRecord> records();

  /**
   * Publishes {@code record} unless a live record (not a tombstone) already holds its NAME: the
   * first copy of a NAME wins. Answers the winner, which is {@code record} itself or the copy
   * that was there first.
   */
  KeysetRecord publishIfAbsent(KeysetRecord record);

  /** Replaces the record of {@code record.kid()}: a status change (retire, revoke, gone). */
  void update(KeysetRecord record);

  /** Which node verifies {@code kid}, with the fingerprint it verifies: node id to fingerprint. */
  Map<String, String> acks(String kid);

  /** Records that {@code nodeId} verifies {@code kid} with the key of {@code fingerprint}. */
  void ack(String kid, String nodeId, String fingerprint);

  /** Node ids of the live, trusted members, this node included. */
  List<String> members();

  /** Runs {@code listener} (on any thread) after any change to records, acks or members. */
  void onChange(Runnable listener);
}
