package io.keepcluster.node.http;

import io.keepcluster.node.config.HttpLimits;
import io.keepcluster.node.metrics.NodeMetrics;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node-wide side of connection limits: one count of open connections over every port and
 * event loop, checked against {@link HttpLimits#maxConnections()}, and the counters an operator
 * reads. Each server's {@link ConnectionWatch} reports to it.
 */
public final class ConnectionBudget {

  private final HttpLimits limits;
  private final NodeMetrics metrics;
  private final AtomicInteger open = new AtomicInteger();

  public ConnectionBudget(HttpLimits limits, NodeMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
    metrics.watchConnections(open::get);
  }

  public HttpLimits limits() {
    return limits;
  }

  /** Takes a slot for a new connection; false (counted) when the node is at its cap. */
  boolean tryOpen() {
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      metrics.connectionClosed("over_limit");
      return false;
    }
    return true;
  }

  void released() {
    open.decrementAndGet();
  }

  void timedOut() {
    metrics.connectionClosed("request_timeout");
  }

  /** Open connections, all ports together. */
  public int open() {
    return open.get();
  }
}
