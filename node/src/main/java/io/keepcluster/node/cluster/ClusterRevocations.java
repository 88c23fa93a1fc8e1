package io.keepcluster.node.cluster;

import io.keepcluster.node.grid.SealedMap;
import io.keepcluster.node.tokens.Revocations;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The logout deny-list, cluster-wide. Every node holds its own authentic copy of the sealed
 * logouts map, so the check on each request is a local lookup (it runs on the event loop), a
 * logout reaches the other members within milliseconds, and an entry removed from the grid by an
 * intruder stays in force here and is put back. Records expire with their token.
 */
public final class ClusterRevocations implements Revocations {

  private final SealedMap revoked;
  private final Duration leeway;

  public ClusterRevocations(SealedMap revoked, Duration leeway) {
    this.revoked = revoked;
    this.leeway = leeway;
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
}
