package io.keepcluster.node.keys;

import java.util.concurrent.atomic.AtomicReference;

/** Holds the current {@link KeyRingSnapshot}; swapping it is the only way keys change. */
public final class KeyRing {

  private final AtomicReference<KeyRingSnapshot> current;

  public KeyRing(KeyRingSnapshot initial) {
    this.current = new AtomicReference<>(initial);
  }

  public KeyRingSnapshot current() {
    return current.get();
  }

  public void publish(KeyRingSnapshot next) {
    current.set(next);
  }
}
