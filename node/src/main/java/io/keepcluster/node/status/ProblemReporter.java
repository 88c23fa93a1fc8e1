package io.keepcluster.node.status;

import io.keepcluster.node.logging.Audit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one component's current problems to {@link Problems}, after a grace period: a keyset
 * copied file by file is incomplete for a moment and is retried on the next scan, not reported as
 * broken. Each problem is logged once when it appears and once when it is resolved.
 * Single-threaded: call {@link #update} from one thread.
 */
public final class ProblemReporter {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemReporter.class);

  private final Problems problems;
  private final ProblemKind kind;
  private final Clock clock;
  private final Duration grace;
  private final String auditEvent;
  private final Map<String, Instant> firstSeen = new HashMap<>();
  private final Map<String, String> reported = new HashMap<>();

  /** Reports every problem as {@link ProblemKind#OTHER}: give the component's kind where there is one. */
  public ProblemReporter(Problems problems, Clock clock, Duration grace) {
    this(problems, ProblemKind.OTHER, clock, grace);
  }

  public ProblemReporter(Problems problems, ProblemKind kind, Clock clock, Duration grace) {
    this(problems, kind, clock, grace, null);
  }

  /**
   * @param auditEvent when not null, each problem as it appears is also an audit event of this
   *     name ({@code event=keyset_refused file=... reason="..."})
   */
  public ProblemReporter(Problems problems, ProblemKind kind, Clock clock, Duration grace, String auditEvent) {
    this.problems = problems;
    this.kind = kind;
    this.clock = clock;
    this.grace = grace;
    this.auditEvent = auditEvent;
  }

  /** Replaces this component's problems with {@code current} (file to reason). */
  public void update(Map<String, String> current, boolean immediately) {
    Instant now = clock.instant();
    firstSeen.keySet().retainAll(current.keySet());
    Set<String> gone = new HashSet<>(reported.keySet());
    gone.removeAll(current.keySet());
    for (String file : gone) {
      problems.clear(file);
      reported.remove(file);
      LOG.info("event=problem_resolved file={}", file);
    }
    current.forEach((file, error) -> {
      Instant since = firstSeen.computeIfAbsent(file, f -> now);
      if (immediately || !now.isBefore(since.plus(grace))) {
        problems.report(kind, file, error);
        if (!error.equals(reported.put(file, error))) {
          LOG.warn("event=problem kind={} file={} error=\"{}\"", kind.id(), file, error);
          if (auditEvent != null) {
            Audit.LOG.warn("event={} file={} reason=\"{}\"", auditEvent, file, error);
          }
        }
      }
    });
  }
}
