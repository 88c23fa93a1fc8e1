package io.keepcluster.node.cluster;

import io.keepcluster.node.grid.SealedMap;
import io.keepcluster.node.tokens.CutOff;
import io.keepcluster.node.tokens.Revocations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The logout deny-list and the per-user cut-offs, cluster-wide. Every node holds its own
 * authentic copy of the sealed maps, so the check on each request is a local lookup (it runs on
 * the event loop), a logout reaches the other members within milliseconds, and an entry removed
 * from the grid by an intruder stays in force here and is put back. Logout records expire with
 * their token; a cut-off once no token issued before it can still be valid.
 */
public final class ClusterRevocations implements Revocations {

  private final SealedMap revoked;
  private final SealedMap cutOffs;
  private final Duration leeway;
  private final Duration maxTokenLifetime;

  public ClusterRevocations(SealedMap revoked, SealedMap cutOffs, Duration leeway,
      Duration maxTokenLifetime) {
    this.revoked = revoked;
    this.cutOffs = cutOffs;
    this.leeway = leeway;
    this.maxTokenLifetime = maxTokenLifetime;
  }

  @Override
  public void revoke(String jwtId, Instant tokenExpiry) {
    revoked.put(jwtId, new JsonObject().put("exp", tokenExpiry.getEpochSecond()),
        Optional.of(tokenExpiry.plus(leeway).plusSeconds(1)));
  }

  @Override
  public boolean isRevoked(String jwtId) {
    return jwtId != null && revoked.get(jwtId).isPresent();
  }

  @Override
  public void revokeIssuedUpTo(String subject, Instant at) {
    // A later cut-off replaces an earlier one; an older one never lowers it.
    Instant effective = cutOff(subject).filter(known -> known.isAfter(at)).orElse(at);
    cutOffs.put(subject, new JsonObject().put("upTo", effective.toEpochMilli()),
        Optional.of(effective.plus(maxTokenLifetime).plus(leeway).plusSeconds(1)));
  }

  @Override
  public boolean isCutOff(String subject, Instant issuedAt) {
    return subject != null && CutOff.applies(cutOff(subject).orElse(null), issuedAt);
  }

  private Optional<Instant> cutOff(String subject) {
    return cutOffs.get(subject).map(json -> json.getLong("upTo")).map(Instant::ofEpochMilli);
  }
}
