package io.keepcluster.it.harness;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** The Awaitility settings the scenarios share: fast polling, HTTP errors of a booting node ignored. */
public final class Waits {

  private Waits() {}

  public static ConditionFactory within(Duration atMost, String what) {
    return Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(25))
        .pollDelay(Duration.ZERO).ignoreExceptions();
  }

  public static ConditionFactory within(int seconds, String what) {
    return within(Duration.ofSeconds(seconds), what);
  }
}
