package io.keepcluster.node.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit stream: key events (keysets created, replicated, activated, retired, revoked,
 * refused; logins; user changes) as {@code event=...} key=value lines on the logger
 * {@value #LOGGER}, which {@link LogSetup} routes to its own appenders. Never key material,
 * passwords or hashes.
 */
public final class Audit {

  public static final String LOGGER = "keepcluster.audit";

  /** The logger every audit event goes through. */
  public static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private Audit() {}
}
