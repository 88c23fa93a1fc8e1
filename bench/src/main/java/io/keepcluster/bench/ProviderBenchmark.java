package io.keepcluster.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keepcluster.node.config.TokenSettings;
import io.keepcluster.node.keys.EphemeralKey;
import io.keepcluster.node.keys.KeyRing;
import io.keepcluster.node.keys.KeyRingSnapshot;
import io.keepcluster.node.providers.ProviderConfig;
import io.keepcluster.node.providers.ProviderRegistry;
import io.keepcluster.node.providers.ProviderTokenVerifier;
import io.keepcluster.node.providers.RefreshRules;
import io.keepcluster.node.tokens.LocalRevocations;
import io.keepcluster.node.tokens.TokenChecks;
import io.keepcluster.node.tokens.TokenRejectedException;
import io.keepcluster.node.tokens.TokenVerifier;
import io.keepcluster.node.tokens.VerifiedToken;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verifying an external provider's RS256 token with 1 or 20 providers configured (static keys,
 * one RSA-2048 key each, each its own issuer). The provider is chosen by {@code iss} in one map
 * lookup, so the two should cost the same; the token is the LAST provider's, the worst case for
 * any scheme that tried providers in turn.
 *
 * <pre>java -jar bench/target/keepcluster-bench.jar ProviderBenchmark -f 1 -wi 3 -w 1 -i 5 -r 2</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ProviderBenchmark {

  @Param({"1", "20"})
  public int providers;

  private ProviderRegistry registry;
  private ProviderTokenVerifier providerVerifier;
  private TokenVerifier verifier;
  private String token;
  private String issuer;

  @Setup
  public void setUp() throws Exception {
    List<ProviderConfig> configs = new ArrayList<>();
    RSAKey last = null;
    for (int i = 0; i < providers; i++) {
      last = new RSAKeyGenerator(2048).keyID("kid-" + i).generate();
      configs.add(new ProviderConfig("p" + i, true,
          new ProviderConfig.StaticKey("kid-" + i, last.toRSAPublicKey(), "p" + i + ".pem"),
          "https://idp" + i + ".example", List.of("api://keep"), List.of(JWSAlgorithm.RS256),
          Optional.empty()));
    }
    Clock clock = Clock.systemUTC();
    registry = ProviderRegistry.start(configs, null, clock, RefreshRules.DEFAULT);
    TokenSettings settings = new TokenSettings(Duration.ofHours(2), Duration.ofDays(1),
        "https://keep.example", "Domino", Duration.ofSeconds(5));
    LocalRevocations revocations = new LocalRevocations(clock);
    EphemeralKey ephemeral = EphemeralKey.create("bench", settings.issuer(), new SecureRandom());
    KeyRing ring = new KeyRing(new KeyRingSnapshot(ephemeral.signing(), List.of(ephemeral.verifying())));
    providerVerifier = new ProviderTokenVerifier(registry, new TokenChecks(settings, revocations, clock));
    verifier = new TokenVerifier(ring, settings, revocations, clock, providerVerifier);

    int n = providers - 1;
    issuer = "https://idp" + n + ".example";
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("kid-" + n).type(JOSEObjectType.JWT).build(),
        new JWTClaimsSet.Builder().issuer("https://idp" + n + ".example").audience("api://keep")
            .subject("alice").claim("preferred_username", "alice@idp.example").claim("scp", "MAIL")
            .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(12))))
            .jwtID("jti").build());
    jwt.sign(new RSASSASigner(last));
    token = jwt.serialize();
    verifier.verify(token); // fails the setup if the token is refused
  }

  @TearDown
  public void tearDown() {
    registry.close();
  }

  /** The provider choice alone: is this {@code iss} a provider's (one map lookup)? */
  @Benchmark
  public boolean providerChoice() {
    return providerVerifier.owns(issuer);
  }

  @Benchmark
  public VerifiedToken providerVerify() throws TokenRejectedException {
    return verifier.verify(token);
  }
}
