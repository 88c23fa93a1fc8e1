package io.keepcluster.node.cluster;

import com.hazelcast.replicatedmap.ReplicatedMap;
import io.keepcluster.node.tokens.Revocations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The logout deny-list, cluster-wide. A Hazelcast ReplicatedMap keeps a full copy on every member,
 * so the check on each request is a local lookup (it runs on the event loop) and a logout reaches
 * the other members within milliseconds. Entries expire with their token.
 */
public final class ClusterRevocations implements Revocations {

  private final ReplicatedMap<String, Long> revoked;
  private final Clock clock;
  private final Duration leeway;

  public ClusterRevocations(HazelcastMember member, Clock clock, Duration leeway) {
    this.revoked = member.instance().getReplicatedMap(HazelcastMember.LOGOUTS);
    this.clock = clock;
    this.leeway = leeway;
  }

  @Override
  public void revoke(String jwtId, Instant tokenExpiry) {
    long ttl = Math.max(1, Duration.between(clock.instant(), tokenExpiry).plus(leeway).toSeconds() + 1);
    revoked.put(jwtId, tokenExpiry.getEpochSecond(), ttl, TimeUnit.SECONDS);
  }

  @Override
  public boolean isRevoked(String jwtId) {
    return jwtId != null && revoked.containsKey(jwtId);
  }
}
