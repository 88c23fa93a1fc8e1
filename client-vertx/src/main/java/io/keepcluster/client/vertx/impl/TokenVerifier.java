package io.keepcluster.client.vertx.impl;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.client.vertx.RejectionReason;
import io.keepcluster.client.vertx.TokenRejectedException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Checks one token against one key snapshot, on Nimbus primitives. Two steps so that a token
 * refused on its header alone ({@code none}, HS*, embedded keys, {@code crit}, no kid) never
 * causes a JWKS fetch: {@link #parse} needs no key, {@link #verify} picks ONE key by kid, demands
 * that the token's {@code alg} is that key's, then checks the signature, the times (with leeway),
 * {@code iss} and {@code aud}. Thread-safe and stateless apart from its settings.
 */
public final class TokenVerifier {

  /** Tokens above this size are refused before any parsing (KeepCluster's own limit too). */
  public static final int MAX_TOKEN_CHARS = 8 * 1024;

  private final String audience;
  private final Duration leeway;
  private final Clock clock;

  public TokenVerifier(String audience, Duration leeway, Clock clock) {
    this.audience = audience;
    this.leeway = leeway;
    this.clock = clock;
  }

  /** Parses the token and checks everything its header alone decides. */
  public SignedJWT parse(String token) throws TokenRejectedException {
    if (token == null || token.isBlank()) {
      throw new TokenRejectedException(RejectionReason.MISSING, "no token");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new TokenRejectedException(RejectionReason.TOO_LARGE,
          "token larger than " + MAX_TOKEN_CHARS + " characters");
    }
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "not a compact JWT");
    }
    if (parsed instanceof EncryptedJWT) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "encrypted tokens are not accepted");
    }
    if (!(parsed instanceof SignedJWT jwt)) {
      throw new TokenRejectedException(RejectionReason.UNSIGNED, "alg none is refused");
    }
    JWSHeader header = jwt.getHeader();
    if (!JwksParser.ALLOWED.contains(header.getAlgorithm())) {
      throw new TokenRejectedException(RejectionReason.ALGORITHM_NOT_ALLOWED,
          "alg " + header.getAlgorithm() + " is not one of " + JwksParser.ALLOWED);
    }
    // A token naming its own key would vouch for itself: never fetch or trust jku/x5u/jwk/x5c.
    if (header.getJWK() != null || header.getJWKURL() != null || header.getX509CertURL() != null
        || header.getX509CertChain() != null) {
      throw new TokenRejectedException(RejectionReason.EMBEDDED_KEY,
          "tokens naming their own key (jwk, jku, x5u, x5c) are refused");
    }
    if (header.getCriticalParams() != null) {
      throw new TokenRejectedException(RejectionReason.CRITICAL_HEADER,
          "crit " + header.getCriticalParams() + " is not supported");
    }
    JOSEObjectType type = header.getType();
    if (type != null && !JOSEObjectType.JWT.equals(type)) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "typ must be JWT");
    }
    String kid = header.getKeyID();
    if (kid == null || kid.isBlank()) {
      throw new TokenRejectedException(RejectionReason.MISSING_KID, "no kid in the header");
    }
    return jwt;
  }

  /** Verifies a parsed token with the snapshot's key for its kid; returns the claims. */
  public JsonObject verify(SignedJWT jwt, KeySnapshot snapshot) throws TokenRejectedException {
    JWSHeader header = jwt.getHeader();
    String kid = header.getKeyID();
    VerificationKey key = snapshot.key(kid).orElseThrow(() -> new TokenRejectedException(
        RejectionReason.UNKNOWN_KID, "no published key has kid " + kid));
    JWSAlgorithm alg = header.getAlgorithm();
    if (!key.algorithm().equals(alg)) {
      throw new TokenRejectedException(RejectionReason.ALGORITHM_MISMATCH,
          "token alg " + alg + " is not the alg " + key.algorithm() + " of kid " + kid);
    }
    boolean valid;
    try {
      valid = jwt.verify(key.verifier());
    } catch (JOSEException | IllegalStateException e) {
      valid = false;
    }
    if (!valid) {
      throw new TokenRejectedException(RejectionReason.BAD_SIGNATURE,
          "signature does not verify with kid " + kid);
    }
    JWTClaimsSet claims;
    JsonObject payload;
    try {
      claims = jwt.getJWTClaimsSet();
      payload = new JsonObject(jwt.getPayload().toString());
    } catch (ParseException | DecodeException | ClassCastException e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "claims are not a JSON object");
    }
    checkTimes(claims);
    if (claims.getIssuer() == null || !snapshot.issuers().contains(claims.getIssuer())) {
      throw new TokenRejectedException(RejectionReason.WRONG_ISSUER,
          "iss " + claims.getIssuer() + " is not an accepted issuer");
    }
    List<String> aud = claims.getAudience();
    if (aud == null || !aud.contains(audience)) {
      throw new TokenRejectedException(RejectionReason.WRONG_AUDIENCE, "aud must contain " + audience);
    }
    return payload;
  }

  private void checkTimes(JWTClaimsSet claims) throws TokenRejectedException {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new TokenRejectedException(RejectionReason.MISSING_EXPIRY, "exp is required");
    }
    if (now.isAfter(exp.toInstant().plus(leeway))) {
      throw new TokenRejectedException(RejectionReason.EXPIRED, "token expired at " + exp.toInstant());
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().isAfter(now.plus(leeway))) {
      throw new TokenRejectedException(RejectionReason.NOT_YET_VALID, "nbf is in the future");
    }
    Date iat = claims.getIssueTime();
    if (iat != null && iat.toInstant().isAfter(now.plus(leeway))) {
      throw new TokenRejectedException(RejectionReason.ISSUED_IN_FUTURE, "iat is in the future");
    }
  }
}
