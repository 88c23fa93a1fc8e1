package io.keepcluster.node.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.SigningCredential;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;

/**
 * Stamps DRAPI's claims and signs them with the key ring's one signer. {@code iss} is the
 * cluster's issuer whatever the key (a keyset or the ephemeral key), so it never changes with a
 * rotation and is the same on every node.
 */
public final class TokenIssuer {

  private final KeyRing keyRing;
  private final TokenSettings settings;
  private final Clock clock;

  public TokenIssuer(KeyRing keyRing, TokenSettings settings, Clock clock) {
    this.keyRing = keyRing;
    this.settings = settings;
    this.clock = clock;
  }

  public IssuedToken issue(TokenRequest request) {
    SigningCredential signer = keyRing.current().signer();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiry = now.plus(settings.duration());
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(settings.issuer())
        .subject(request.dn())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(expiry))
        .audience(settings.audience())
        .claim("CN", request.dn())
        .claim("scope", request.scope())
        .jwtID(UUID.randomUUID().toString());
    if (request.email() != null) {
      claims.claim("email", request.email());
    }
    JWSHeader header = new JWSHeader.Builder(signer.algorithm())
        .type(JOSEObjectType.JWT)
        .keyID(signer.kid())
        .build();
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed with kid=" + signer.kid(), e);
    }
    return new IssuedToken(jwt.serialize(), claims.build(), now, settings.duration());
  }
}
