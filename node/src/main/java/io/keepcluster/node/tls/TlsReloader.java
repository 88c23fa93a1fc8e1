package io.keepcluster.node.tls;

import io.keepcluster.node.config.TlsFiles;
import io.keepcluster.node.http.Listener;
import io.keepcluster.node.status.ProblemReporter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates the certificate of the TLS ports without a restart. Every {@code every} the contents of
 * both files are compared with what is served (contents, not timestamps: a copy within the same
 * second, a symbolic link swapped by Kubernetes or certbot, all count); on a change the pair is
 * read and checked, and only a good pair reaches the servers ({@code updateSSLOptions}), so new
 * connections get the new certificate and open ones keep theirs.
 *
 * <p>A bad pair (unreadable, not PEM, a key of another certificate) leaves the served certificate
 * in place and is reported on {@code /health} under {@value #PROBLEM} once it has persisted for the
 * reporter's grace period: a certificate and key copied one after the other are briefly a
 * mismatched pair, which is not worth an alarm.
 */
public final class TlsReloader implements AutoCloseable {

  /** The {@code /health} problem key (and problem kind) of a certificate that cannot be loaded. */
  public static final String PROBLEM = "tls";
  private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

  private final Vertx vertx;
  private final TlsFiles files;
  private final List<Listener> listeners;
  private final ProblemReporter problems;
  private final Duration every;
  private final AtomicBoolean checking = new AtomicBoolean();
  private volatile TlsMaterial current;
  private volatile long timer = -1;

  public TlsReloader(Vertx vertx, TlsFiles files, TlsMaterial served, List<Listener> listeners,
      ProblemReporter problems, Duration every) {
    this.vertx = vertx;
    this.files = files;
    this.current = served;
    this.listeners = List.copyOf(listeners);
    this.problems = problems;
    this.every = every;
  }

  public void start() {
    timer = vertx.setPeriodic(every.toMillis(), id -> check());
  }

  /** The certificate new connections get. */
  public TlsMaterial served() {
    return current;
  }

  /** One comparison (and reload when the files changed); overlapping calls are skipped. */
  public Future<Void> check() {
    if (!checking.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(this::changed)
        .compose(next -> next.map(this::serve).orElseGet(() -> {
          problems.update(Map.of(), false);
          return Future.succeededFuture();
        }))
        .recover(failure -> {
          problems.update(Map.of(PROBLEM, failure.getMessage() + "; still serving the previous certificate ("
              + current.describe() + ")"), false);
          return Future.succeededFuture();
        })
        .andThen(done -> checking.set(false));
  }

  /** Blocking: the new material when the files no longer hold what is served. */
  private Optional<TlsMaterial> changed() throws TlsMaterialException {
    if (current.sameFiles(TlsMaterial.fingerprint(files))) {
      return Optional.empty();
    }
    return Optional.of(TlsMaterial.load(files));
  }

  private Future<Void> serve(TlsMaterial next) {
    return Future.all(listeners.stream().map(listener -> listener.updateSsl(next.sslOptions())).toList())
        .recover(failure -> Future.failedFuture(new TlsMaterialException(
            "TLS certificate " + next.describe() + " was refused by the TLS engine: " + failure.getMessage())))
        .map(done -> {
          TlsMaterial previous = current;
          current = next;
          problems.update(Map.of(), false);
          LOG.info("event=tls_reloaded {} previous_serial={} ports={}", next.describe(), previous.serial(),
              String.join(",", listeners.stream().map(l -> l.spec().name()).toList()));
          return null;
        });
  }

  @Override
  public void close() {
    long id = timer;
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }
}
