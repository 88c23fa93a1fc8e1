package io.keepcluster.node.providers;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.keys.VerifyingCredential;
import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.node.tokens.ExternalIdentity;
import io.keepcluster.node.tokens.ExternalIssuers;
import io.keepcluster.node.tokens.RejectionReason;
import io.keepcluster.node.tokens.TokenChecks;
import io.keepcluster.node.tokens.TokenRejectedException;
import io.keepcluster.node.tokens.VerifiedToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Verifies tokens of external providers with the same strictness as the cluster's own: the
 * provider is chosen by {@code iss}, then ONE key by {@code kid}; the token's {@code alg} must be
 * in the provider's allow-list and be the key's; then the shared {@link TokenChecks} (signature,
 * exp/nbf/iat with leeway, {@code maxJwtDuration}, logout list) and the provider's audience.
 * The header already passed {@link TokenChecks#checkHeader} (no jwk/jku/x5u/x5c, no crit) and the
 * text the canonical-form check, in {@code TokenVerifier}.
 *
 * <p>Unlike the cluster's own ES tokens, a provider's ECDSA signature is not required to be
 * low-S: other issuers (Java's JCA among them) do not normalize S, and refusing half of their
 * tokens would break them; the signature still has to verify.
 */
public final class ProviderTokenVerifier implements ExternalIssuers {

  private final ProviderRegistry providers;
  private final TokenChecks checks;

  public ProviderTokenVerifier(ProviderRegistry providers, TokenChecks checks) {
    this.providers = providers;
    this.checks = checks;
  }

  @Override
  public boolean owns(String iss) {
    return providers.byIssuer(iss).isPresent();
  }

  @Override
  public Voucher voucher(String iss, String kid) {
    ProviderRegistry.Provider provider = providers.byIssuer(iss).orElse(null);
    if (provider == null || !provider.config().active() || kid == null) {
      return null;
    }
    // The snapshot as it is, never a refetch: a missing key means the cached result is not reused.
    VerifyingCredential key = provider.keys().snapshot().keys().get(kid);
    return key == null ? null : new Voucher(provider.config(), key);
  }

  @Override
  public VerifiedToken verify(SignedJWT jwt, JWSHeader header, JWTClaimsSet unverifiedClaims)
      throws TokenRejectedException {
    ProviderRegistry.Provider provider = providers.byIssuer(unverifiedClaims.getIssuer())
        .orElseThrow(() -> new TokenRejectedException(RejectionReason.WRONG_ISSUER,
            "iss names no provider"));
    ProviderConfig config = provider.config();
    if (!config.active()) {
      throw new TokenRejectedException(RejectionReason.PROVIDER_INACTIVE,
          "provider " + config.name() + " is not active");
    }
    if (!config.allowed().contains(header.getAlgorithm())) {
      throw new TokenRejectedException(RejectionReason.ALGORITHM_NOT_ALLOWED,
          "alg " + LogSafe.value(String.valueOf(header.getAlgorithm())) + " is not allowed for provider "
              + config.name());
    }
    VerifyingCredential key = provider.keys().key(header.getKeyID())
        .orElseThrow(() -> new TokenRejectedException(RejectionReason.UNKNOWN_KID,
            "provider " + config.name() + " has no key with this kid"));
    TokenChecks.checkAlgorithm(header, key);
    TokenChecks.checkSignature(jwt, key);
    JWTClaimsSet claims = TokenChecks.claims(jwt);
    Instant expiry = checks.checkTimes(claims, key);
    if (!config.issuer().equals(claims.getIssuer())) {
      throw new TokenRejectedException(RejectionReason.WRONG_ISSUER, "iss is not " + config.name() + "'s");
    }
    List<String> audience = claims.getAudience();
    if (audience == null || config.audiences().stream().noneMatch(audience::contains)) {
      throw new TokenRejectedException(RejectionReason.WRONG_AUDIENCE,
          "aud must contain one of " + config.audiences() + " for provider " + config.name());
    }
    checks.checkNotRevoked(claims);
    ExternalIdentity identity = new ExternalIdentity(config.name(), identity(config, claims),
        ClaimMapping.scope(claims));
    return new VerifiedToken(claims, key.kid(), key.source(), expiry, Optional.of(identity));
  }

  private static String identity(ProviderConfig config, JWTClaimsSet claims)
      throws TokenRejectedException {
    return ClaimMapping.identity(claims, config.userIdentifier())
        .orElseThrow(() -> new TokenRejectedException(RejectionReason.NO_IDENTITY,
            "no " + config.userIdentifier().map(List::of)
                .orElse(ProviderConfigParser.DEFAULT_IDENTITY_CLAIMS) + " claim names the user"));
  }
}
