package io.keepcluster.node.users;

import io.keepcluster.node.logging.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User events for the audit stream (logger {@code keepcluster.audit}, one key=value line per
 * event starting with {@code event=}). Names and nodes only: never a password or a hash.
 */
public final class UserAudit {

  private static final Logger AUDIT = LoggerFactory.getLogger("keepcluster.audit");

  private final String node;

  public UserAudit(String node) {
    this.node = node;
  }

  /** {@code event=<event> user=<name> node=<node> via=<origin>} */
  public void log(String event, String username, String origin) {
    AUDIT.info("event={} user={} node={} via={}", event, LogSafe.value(username), LogSafe.value(node), origin);
  }

  public void login(boolean succeeded, String shownName, String reason) {
    if (succeeded) {
      AUDIT.info("event=login_ok user={} node={}", shownName, LogSafe.value(node));
    } else {
      AUDIT.info("event=login_failed user={} reason={} node={}", shownName, reason, LogSafe.value(node));
    }
  }

  public void locked(String shownName) {
    AUDIT.info("event=user_locked user={} node={}", shownName, LogSafe.value(node));
  }
}
