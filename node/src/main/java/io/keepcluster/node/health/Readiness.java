package io.keepcluster.node.health;

import java.util.concurrent.atomic.AtomicBoolean;

/** Whether this node can take traffic: servers listening and (in a cluster) the initial sync done. */
public final class Readiness {

  private final AtomicBoolean ready = new AtomicBoolean();

  public boolean isReady() {
    return ready.get();
  }

  public void markReady() {
    ready.set(true);
  }

  public void markNotReady() {
    ready.set(false);
  }
}
