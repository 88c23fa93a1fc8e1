package io.keepcluster.node.shutdown;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT as a node understands them: the first starts the graceful stop, the second
 * cuts its drain short, the third ends the process at once (exit 128 + signal number).
 *
 * <p>Why a signal handler and not (only) a shutdown hook: when a JVM's default SIGTERM handler
 * runs the shutdown hooks, the exit status is fixed at 143 whatever the hooks do, and systemd
 * records a failed stop; a second signal during the hooks is swallowed. With a handler of its own
 * the node finishes its sequence and then exits normally, with 0 for a clean stop. A JVM started
 * with {@code -Xrs} refuses a handler; that signal then keeps the JVM's behaviour (shutdown hook,
 * exit 128 + n). A SIGINT that was ignored when the JVM started (a process put in the background
 * by a non-interactive shell) stays ignored: the JVM accepts the handler but never installs it.
 */
public final class ShutdownSignals {

  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

  private ShutdownSignals() {}

  /** Installs the handlers and answers the signals that got one (for the start-up log). */
  public static List<String> install(Runnable first, Runnable second) {
    AtomicInteger received = new AtomicInteger();
    SignalHandler handler = signal -> {
      int count = received.incrementAndGet();
      if (count == 1) {
        LOG.info("event=shutdown phase=signal signal=SIG{}", signal.getName());
        first.run();
      } else if (count == 2) {
        second.run();
      } else {
        LOG.warn("event=shutdown phase=forced signal=SIG{} exit={}", signal.getName(), 128 + signal.getNumber());
        Runtime.getRuntime().halt(128 + signal.getNumber());
      }
    };
    List<String> installed = new ArrayList<>();
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(name), handler);
        installed.add("SIG" + name);
      } catch (IllegalArgumentException e) {
        LOG.info("event=signal_handler_skipped signal=SIG{} reason=\"{}\"", name, e.getMessage());
      }
    }
    return installed;
  }
}
