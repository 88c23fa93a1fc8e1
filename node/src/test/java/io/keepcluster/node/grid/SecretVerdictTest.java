package io.keepcluster.node.grid;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Who is the odd one out: this node, or the members it cannot verify. */
class SecretVerdictTest {

  @Test
  @DisplayName("a node alone is confirmed")
  void alone() {
    assertTrue(SecretVerdict.confirmed(false, 0, 0, false, 0));
  }

  @Test
  @DisplayName("a node that no member proves the secret to, among two or more that prove nothing, is not confirmed")
  void wrongSecretAmongHonestNodes() {
    assertFalse(SecretVerdict.confirmed(false, 2, 0, false, 2));
    assertFalse(SecretVerdict.confirmed(true, 3, 0, false, 3), "even one confirmed alone before they came");
  }

  @Test
  @DisplayName("any number of intruders never unconfirms a node that another member proves the secret to")
  void intrudersCannotUnconfirm() {
    assertTrue(SecretVerdict.confirmed(true, 101, 1, false, 100));
    assertTrue(SecretVerdict.confirmed(true, 1000, 2, true, 998));
  }

  @Test
  @DisplayName("a starting node follows a confirmed member even when intruders outnumber the honest ones")
  void startingNodeFollowsAConfirmedPeer() {
    assertTrue(SecretVerdict.confirmed(false, 12, 2, true, 10));
    assertFalse(SecretVerdict.confirmed(false, 12, 2, false, 10), "without a confirmed peer the larger side wins");
  }

  @Test
  @DisplayName("nodes starting together confirm each other")
  void freshCluster() {
    assertTrue(SecretVerdict.confirmed(false, 2, 2, false, 0));
  }

  @Test
  @DisplayName("one unverifiable member against one node: the node keeps what it knew")
  void oneAgainstOne() {
    assertTrue(SecretVerdict.confirmed(true, 1, 0, false, 1), "a lone honest node stays up beside one intruder");
    assertFalse(SecretVerdict.confirmed(false, 1, 0, false, 1), "a node joining a member it cannot verify waits");
  }

  @Test
  @DisplayName("members still in their grace period are waited for")
  void pending() {
    assertFalse(SecretVerdict.confirmed(false, 2, 0, false, 0));
    assertTrue(SecretVerdict.confirmed(true, 2, 0, false, 0));
  }
}
