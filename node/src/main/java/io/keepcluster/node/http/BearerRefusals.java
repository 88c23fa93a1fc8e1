package io.keepcluster.node.http;

import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.node.metrics.NodeMetrics;
import io.keepcluster.node.tokens.RejectionReason;
import io.keepcluster.node.tokens.TokenRejectedException;
import io.keepcluster.node.tokens.TokenVerifier;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failure handler of the route {@code JWTAuthHandler} guards: turns each of its refusals
 * into the one generic 401 ({@link ErrorResponses#invalidToken}), counts the precise
 * {@link RejectionReason} and logs it once.
 *
 * <p>{@code JWTAuthHandler} refuses in two places. Before asking the provider it fails the
 * request itself: 401 when the header is missing or names another scheme, 400 when nothing
 * follows the scheme, a character is outside base64url or there are more than three parts. After
 * asking, it fails with 401 whose cause is the provider's {@link TokenRejectedException}. Both
 * become our 401 here: never a 400, so the status does not tell a caller which check failed. For
 * the first kind the reason is asked of the same {@link TokenVerifier} (it refuses those texts as
 * {@code missing}, {@code non_canonical}, {@code malformed} or {@code too_large}, as it always
 * did); a header our verifier would accept but {@code JWTAuthHandler} does not (a second space
 * after {@code Bearer}) is {@code malformed}.
 *
 * <p>{@code JWTAuthHandler} also lets a CORS preflight ({@code OPTIONS} whose
 * {@code Access-Control-Request-Headers} names {@code Authorization}) through without a user;
 * {@link #requireUser} after it refuses that too, so every path under {@code /api/v1/} still
 * needs a token and no unauthenticated request learns which paths and methods exist.
 *
 * <p>Any other failure on these paths (a body too large, an error after authentication, when the
 * context already has a user) is not a refused token and goes on to the router's error handlers.
 */
final class BearerRefusals implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(BearerRefusals.class);
  private static final String PREFIX = "bearer ";

  private final TokenVerifier verifier;
  private final NodeMetrics metrics;

  BearerRefusals(TokenVerifier verifier, NodeMetrics metrics) {
    this.verifier = verifier;
    this.metrics = metrics;
  }

  /** Goes after {@code JWTAuthHandler}: a request it let through without a user is refused. */
  static void requireUser(RoutingContext ctx) {
    if (ctx.user() == null) {
      ctx.fail(401, new HttpException(401));
    } else {
      ctx.next();
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.user() != null || !(ctx.failure() instanceof HttpException failure)
        || failure.getStatusCode() != 400 && failure.getStatusCode() != 401) {
      ctx.next();
      return;
    }
    TokenRejectedException refusal = failure.getCause() instanceof TokenRejectedException provider
        ? provider : refusalBeforeProvider(ctx);
    RejectionReason reason = refusal.reason();
    metrics.tokenRejected(reason.code());
    if (reason == RejectionReason.MISSING) {
      LOG.info("event=token_rejected reason={} path={} {}", reason.code(), LogSafe.value(ctx.request().path()),
          RequestIds.fields(ctx));
    } else {
      // The reason and the kid go to metrics and the log, never to the caller; the token never.
      LOG.info("event=token_rejected reason={} kid={} path={} detail=\"{}\" {}", reason.code(),
          LogSafe.value(refusal.kid().orElse(null)), LogSafe.value(ctx.request().path()),
          refusal.getMessage(), RequestIds.fields(ctx));
    }
    ErrorResponses.invalidToken(ctx);
  }

  private TokenRejectedException refusalBeforeProvider(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return new TokenRejectedException(RejectionReason.MISSING, "no bearer token");
    }
    try {
      verifier.verify(header.substring(PREFIX.length()).trim());
    } catch (TokenRejectedException e) {
      return e;
    }
    return new TokenRejectedException(RejectionReason.MALFORMED,
        "Authorization is not exactly \"Bearer <token>\"");
  }
}
