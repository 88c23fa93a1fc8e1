package io.keepcluster.node.health;

import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.keys.KeySource;
import io.keepcluster.node.keys.VerifyingCredential;
import io.keepcluster.node.status.ClusterView;
import io.keepcluster.node.status.Intruder;
import io.keepcluster.node.status.KeyStatusSource;
import io.keepcluster.node.status.ProblemKind;
import io.keepcluster.node.status.Problems;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds the DESIGN.md section 8 health document from the node's live state. */
public final class HealthReporter {

  private final String nodeId;
  private final String version;
  private final KeyRing keyRing;
  private final String ephemeralKid;
  private final ClusterView cluster;
  private final Problems problems;
  private final Readiness readiness;
  private volatile KeyStatusSource keyStatus = KeyStatusSource.NONE;

  public HealthReporter(String nodeId, String version, KeyRing keyRing, String ephemeralKid,
      ClusterView cluster, Problems problems, Readiness readiness) {
    this.nodeId = nodeId;
    this.version = version;
    this.keyRing = keyRing;
    this.ephemeralKid = ephemeralKid;
    this.cluster = cluster;
    this.problems = problems;
    this.readiness = readiness;
  }

  public void keyStatus(KeyStatusSource source) {
    this.keyStatus = source;
  }

  /**
   * Ready to take traffic: started and not stopping, (in a cluster) part of it with a proven
   * secret, and no problem of this node that keeps it from doing its job ({@link ProblemKind#unready}).
   * Problems of other members (intruders) never count here: they cannot take an honest node out.
   */
  public boolean ready() {
    return readiness.isReady() && cluster.ready() && !problems.unready();
  }

  /**
   * {@code DOWN} before the start completed and while stopping; {@code DEGRADED} when the node
   * runs but is not ready (wrong secret, grid lost, config that would not start) or a component
   * reported a degrading problem; else {@code UP}. Only UP answers 200.
   */
  public String status() {
    if (!readiness.isReady()) {
      return "DOWN";
    }
    return ready() && !problems.degraded() ? "UP" : "DEGRADED";
  }

  public JsonObject report() {
    KeyRingSnapshot ring = keyRing.current();
    JsonArray verifying = new JsonArray();
    for (VerifyingCredential credential : ring.verifiers()) {
      if (credential.source() == KeySource.KEYSET) {
        verifying.add(credential.kid());
      }
    }
    JsonArray problemList = new JsonArray();
    problems.all().forEach(p -> problemList.add(new JsonObject().put("kind", p.kind().id())
        .put("file", p.file()).put("error", p.error())));
    return new JsonObject()
        .put("status", status())
        .put("node", nodeId)
        .put("version", version)
        .put("cluster", new JsonObject().put("name", cluster.name())
            .put("members", new JsonArray(cluster.members()))
            .put("intruders", intruders())
            .put("rejoins", cluster.rejoins()))
        .put("keys", new JsonObject()
            .put("signing", ring.signer().kid())
            .put("verifying", verifying)
            .put("ephemeral", ephemeralKid))
        .put("keysets", keyStatus.keysets())
        .put("providers", keyStatus.providers())
        .put("problems", problemList);
  }

  private JsonArray intruders() {
    JsonArray list = new JsonArray();
    for (Intruder intruder : cluster.intruders()) {
      list.add(new JsonObject().put("member", intruder.member()).put("node", intruder.node())
          .put("reason", intruder.reason()));
    }
    return list;
  }
}
