package io.keepcluster.node.keys.lifecycle;

import java.time.Instant;
import java.util.List;

/**
 * One step of a {@link KeysetPlanner} plan, for {@link KeysetLifecycle} to carry out in order.
 * Each names the keyset it is about; the driver skips a keyset's later steps in a pass when one
 * of its steps failed.
 */
public sealed interface KeysetAction {

  /** The keyset this step is about (for a problem: the file or component it names). */
  String kid();

  /** Offer this node's keyset to the store: the first copy of a NAME wins. */
  record Publish(KeysetRecord record) implements KeysetAction {
    @Override
    public String kid() {
      return record.kid();
    }
  }

  /** Write the retired record to the store: the keyset retires on every node. */
  record RetireInStore(KeysetRecord retired) implements KeysetAction {
    @Override
    public String kid() {
      return retired.kid();
    }
  }

  /** Write the revoked record (a tombstone) to the store: every node forgets it and deletes its files. */
  record RevokeInStore(KeysetRecord revoked) implements KeysetAction {
    @Override
    public String kid() {
      return revoked.kid();
    }
  }

  /** Write the GONE record (a tombstone): a retired keyset whose tokens have all expired. */
  record Expire(KeysetRecord gone) implements KeysetAction {
    @Override
    public String kid() {
      return gone.kid();
    }
  }

  /** Load the record's keyset into this node's registry as verifying (not signable). */
  record LoadVerifying(KeysetRecord record) implements KeysetAction {
    @Override
    public String kid() {
      return record.kid();
    }
  }

  /** Let this node sign with the keyset (second phase); {@code silent} members never acknowledged it. */
  record MarkSignable(String kid, List<String> verifiedBy, List<String> silent) implements KeysetAction {
    public MarkSignable {
      verifiedBy = List.copyOf(verifiedBy);
      silent = List.copyOf(silent);
    }
  }

  /** Stop signing with the keyset on this node; it verifies until {@code at} plus maxJwtDuration. */
  record RetireLocally(String kid, Instant at) implements KeysetAction {}

  /** Write the record's four files into this node's folder (never over existing files). */
  record Persist(KeysetRecord record) implements KeysetAction {
    @Override
    public String kid() {
      return record.kid();
    }
  }

  /** Rewrite this node's replicated copy with {@code "active": false} (never the operator's files). */
  record MarkCopyRetired(String kid) implements KeysetAction {}

  /** Delete the keyset's four files from this node's folder (they hold the key being removed). */
  record DeleteFiles(String kid) implements KeysetAction {}

  /** Tell the others this node verifies the keyset with the key of {@code fingerprint}. */
  record Ack(String kid, String fingerprint) implements KeysetAction {}

  /** Drop the keyset from this node's registry: its tokens stop verifying here. */
  record Forget(String kid) implements KeysetAction {}

  /** Report a problem on {@code /health}: {@code file} (or component) and why. */
  record ReportProblem(String file, String reason) implements KeysetAction {
    @Override
    public String kid() {
      return file;
    }
  }
}
