package io.keepcluster.node.status;

/**
 * What kind of problem a {@link Problem} is, and what it does to the node's health. Every kind is
 * registered as a {@code keepcluster_problems{kind}} gauge, so an alert reads 0 before the first one.
 *
 * <p>Only problems of this node itself make it unready: an intruder elsewhere in the grid is listed
 * but never takes an honest node out of service, or one rogue member could empty the load balancer.
 */
public enum ProblemKind {
  /** This node's cluster secret is proven by no other member: it applies and publishes nothing. */
  SECRET("secret", Effect.UNREADY),
  /** The embedded grid member is lost (rejoining): the node cannot exchange cluster state. */
  GRID("grid", Effect.UNREADY),
  /** The config on disk would not start: the next restart would exit 2. */
  CONFIG("config", Effect.UNREADY),
  /** The keyset scanner failed or had to be restarted: dropped files may go unnoticed. */
  KEYSET_SCANNER("keyset_scanner", Effect.DEGRADED),
  /** One keyset's files are broken, conflict with the cluster's, or cannot be persisted. */
  KEYSET_FILE("keyset_file", Effect.NOTICE),
  /** A member in the grid cannot prove the secret, or wrote records that do not authenticate. */
  INTRUDER("intruder", Effect.NOTICE),
  /** The TLS certificate or key files changed to a pair that does not load: the old pair stays in use. */
  TLS("tls", Effect.NOTICE),
  /** A single node without {@code publicUrl} publishes {@code http://localhost:PORT}. */
  PUBLIC_URL("publicUrl", Effect.NOTICE),
  /** An external JWT provider's definition is refused or cannot be persisted. */
  PROVIDER("provider", Effect.NOTICE),
  /** Anything reported without a kind of its own. */
  OTHER("other", Effect.NOTICE);

  /** What a problem of a kind does to {@code /health} and {@code /health/ready}. */
  public enum Effect {
    /** Listed; the node stays UP and ready. */
    NOTICE,
    /** {@code /health} says DEGRADED (503); the node still takes traffic (ready). */
    DEGRADED,
    /** {@code /health} says DEGRADED (503) and {@code /health/ready} answers 503. */
    UNREADY
  }

  private final String id;
  private final Effect effect;

  ProblemKind(String id, Effect effect) {
    this.id = id;
    this.effect = effect;
  }

  /** The name in {@code /health} and in the gauge's {@code kind} tag. */
  public String id() {
    return id;
  }

  public Effect effect() {
    return effect;
  }

  public boolean degrades() {
    return effect != Effect.NOTICE;
  }

  public boolean unready() {
    return effect == Effect.UNREADY;
  }

  @Override
  public String toString() {
    return id;
  }
}
