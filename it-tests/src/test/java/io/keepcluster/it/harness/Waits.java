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

  /**
   * A check that must keep holding for {@code during} ("stays so"): polled every 250 ms, and the
   * wait ends {@code during} + 1 s after it starts, so a violation that lasts over a second (or
   * comes in the last seconds) fails the test.
   */
  public static ConditionFactory staysFor(Duration during, String what) {
    return Awaitility.await(what).during(during).atMost(during.plusSeconds(1))
        .pollInterval(Duration.ofMillis(250)).pollDelay(Duration.ZERO).ignoreExceptions();
  }

  public static ConditionFactory within(int seconds, String what) {
    return within(Duration.ofSeconds(seconds), what);
  }
}
