package io.keepcluster.node.users;

import io.keepcluster.node.logging.Audit;
import io.keepcluster.node.logging.LogSafe;
import org.slf4j.Logger;

/**
 * User events for the audit stream (logger {@code keepcluster.audit}, one key=value line per
 * event starting with {@code event=}). Names and nodes only: never a password or a hash.
 */
public final class UserAudit {

  private static final Logger AUDIT = Audit.LOG;

  private final String node;

  public UserAudit(String node) {
    this.node = node;
  }

  /** {@code event=<event> user=<name> node=<node> via=<origin>} */
  public void log(String event, String username, String origin) {
    AUDIT.info("event={} user={} node={} via={}", event, LogSafe.value(username), LogSafe.value(node), origin);
  }

  public void locked(String shownName) {
    AUDIT.info("event=user_locked user={} node={}", shownName, LogSafe.value(node));
  }
}
