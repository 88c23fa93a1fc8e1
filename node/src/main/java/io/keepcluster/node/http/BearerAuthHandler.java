package io.keepcluster.node.http;

import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.node.metrics.NodeMetrics;
import io.keepcluster.node.tokens.RejectionReason;
import io.keepcluster.node.tokens.TokenRejectedException;
import io.keepcluster.node.tokens.TokenVerifier;
import io.keepcluster.node.tokens.VerifiedToken;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards {@code /api/v1/**}: a valid bearer token or 401 with a Bearer challenge. Every refusal
 * looks the same to the caller ({@link ErrorResponses#invalidToken}).
 */
final class BearerAuthHandler implements Handler<RoutingContext> {

  static final String VERIFIED_TOKEN = "keepcluster.verifiedToken";
  private static final Logger LOG = LoggerFactory.getLogger(BearerAuthHandler.class);
  private static final String PREFIX = "bearer ";

  private final TokenVerifier verifier;
  private final NodeMetrics metrics;

  BearerAuthHandler(TokenVerifier verifier, NodeMetrics metrics) {
    this.verifier = verifier;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || header.length() < PREFIX.length()
        || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      metrics.tokenRejected(RejectionReason.MISSING.code());
      LOG.info("event=token_rejected reason={} path={}", RejectionReason.MISSING.code(),
          LogSafe.value(ctx.request().path()));
      ErrorResponses.invalidToken(ctx);
      return;
    }
    try {
      VerifiedToken token = verifier.verify(header.substring(PREFIX.length()).trim());
      ctx.put(VERIFIED_TOKEN, token);
      ctx.next();
    } catch (TokenRejectedException e) {
      // The reason and the kid go to metrics and the log, never to the caller; the token never.
      metrics.tokenRejected(e.reason().code());
      LOG.info("event=token_rejected reason={} kid={} path={} detail=\"{}\"", e.reason().code(),
          LogSafe.value(e.kid().orElse(null)), LogSafe.value(ctx.request().path()), e.getMessage());
      ErrorResponses.invalidToken(ctx);
    }
  }
}
