package io.keepcluster.node.http;

import io.keepcluster.node.tokens.TokenRejectedException;
import io.keepcluster.node.tokens.TokenVerifier;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * Opens a compact JWE bearer before {@code JWTAuthHandler} sees it: Vert.x's handler reads only
 * three-part JWS tokens and answers 400 to anything else. The inner token replaces the header and
 * then takes the usual path (canonical form, kid and alg, claims, logout list); a JWE that cannot
 * be opened fails the request with its reason, which {@link BearerRefusals} counts and answers.
 */
final class EncryptedBearer implements Handler<RoutingContext> {

  private static final String PREFIX = "Bearer ";
  private static final int JWE_DOTS = 4;

  private final TokenVerifier verifier;

  EncryptedBearer(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        || dots(header) != JWE_DOTS) {
      ctx.next();
      return;
    }
    try {
      String inner = verifier.decrypt(header.substring(PREFIX.length()).trim());
      ctx.request().headers().set(HttpHeaders.AUTHORIZATION, PREFIX + inner);
      ctx.next();
    } catch (TokenRejectedException e) {
      ctx.fail(401, new HttpException(401, e));
    }
  }

  /** A plain loop: this runs on every bearer request, where a stream per header showed in profiles. */
  private static int dots(String header) {
    int dots = 0;
    for (int i = 0; i < header.length(); i++) {
      if (header.charAt(i) == '.') {
        dots++;
      }
    }
    return dots;
  }
}
