package io.keepcluster.it.harness;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.TerminalFailureException;
import org.awaitility.core.ThrowingRunnable;

/** The Awaitility settings the scenarios share: fast polling, HTTP errors of a booting node ignored. */
public final class Waits {

  private Waits() {}

  public static ConditionFactory within(Duration atMost, String what) {
    return Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(25))
        .pollDelay(Duration.ZERO).ignoreExceptions();
  }

  /**
   * A check that must keep holding for {@code during} ("stays so"): polled every 250 ms from the
   * start, and the first poll that fails ends the test at once with that failure. A slow poll
   * (three logins on a loaded machine) never turns into a spurious time-out: the wait may run
   * {@link #SLOW_POLL_SLACK} past {@code during}.
   */
  public static void holdsFor(Duration during, String what, ThrowingRunnable check) {
    AtomicReference<Throwable> broken = new AtomicReference<>();
    try {
      Awaitility.await(what).during(during).atMost(during.plus(SLOW_POLL_SLACK))
          .pollInterval(Duration.ofMillis(250)).pollDelay(Duration.ZERO)
          .failFast(what + " stopped holding", () -> {
            try {
              check.run();
              return false;
            } catch (Throwable failure) {
              broken.set(failure);
              return true;
            }
          })
          .until(() -> true);
    } catch (TerminalFailureException e) {
      throw new AssertionError(what + " stopped holding: " + broken.get().getMessage(), broken.get());
    }
  }

  private static final Duration SLOW_POLL_SLACK = Duration.ofSeconds(30);

  public static ConditionFactory within(int seconds, String what) {
    return within(Duration.ofSeconds(seconds), what);
  }
}
