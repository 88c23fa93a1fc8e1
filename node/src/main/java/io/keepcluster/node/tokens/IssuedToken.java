package io.keepcluster.node.tokens;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;

/** A freshly signed token with the claims that went into it. */
public record IssuedToken(String serialized, JWTClaimsSet claims, Instant issuedAt, Duration lifetime) {}
