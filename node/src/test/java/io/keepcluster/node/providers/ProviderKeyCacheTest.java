package io.keepcluster.node.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.keepcluster.node.keys.VerifyingCredential;
import io.keepcluster.node.testing.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The cache's rules with the time under the test's control and fetches answered by the test. */
class ProviderKeyCacheTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  private final AtomicInteger fetches = new AtomicInteger();
  private final AtomicReference<Future<JwksFetcher.Fetched>> answer = new AtomicReference<>();
  private final ProviderConfig config = new ProviderConfig("idp", true,
      new ProviderConfig.Discovery(URI.create("https://idp.example/.well-known/openid-configuration")),
      "https://idp.example", List.of("api"), List.of(JWSAlgorithm.RS256), Optional.empty());
  private Vertx vertx;
  private ProviderKeyCache cache;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    answer.set(Future.succeededFuture(fetched("k1")));
    cache = ProviderKeyCache.fetching("idp", () -> {
      fetches.incrementAndGet();
      return answer.get();
    }, vertx, clock, RefreshRules.DEFAULT);
  }

  @AfterEach
  void stop() {
    cache.close();
    vertx.close();
  }

  private JwksFetcher.Fetched fetched(String... kids) throws Exception {
    java.util.LinkedHashMap<String, VerifyingCredential> keys = new java.util.LinkedHashMap<>();
    for (String kid : kids) {
      RSAKey key = new RSAKeyGenerator(2048).keyID(kid).generate();
      keys.put(kid, ProviderKeys.credential(config, kid, key.toRSAPublicKey(), JWSAlgorithm.RS256));
    }
    return new JwksFetcher.Fetched(keys, Optional.of(Duration.ofMinutes(5)));
  }

  @Test
  @DisplayName("keys the provider stopped publishing stop verifying after the next refresh")
  void droppedKeysStopVerifying() throws Exception {
    assertTrue(cache.key("k1").isPresent());
    answer.set(Future.succeededFuture(fetched("k2")));

    cache.refresh();

    assertTrue(cache.key("k1").isEmpty());
    assertTrue(cache.key("k2").isPresent());
    assertEquals(ProviderStatus.OK, cache.snapshot().status());
  }

  @Test
  @DisplayName("a failed refresh keeps the keys and reports unreachable or error by the kind of failure")
  void failureKeepsKeys() {
    answer.set(Future.failedFuture(new KeysUnavailableException(KeysUnavailableException.Kind.UNREACHABLE,
        "https://idp.example/jwks", "connection refused")));
    cache.refresh();
    assertEquals(ProviderStatus.UNREACHABLE, cache.snapshot().status());
    assertTrue(cache.key("k1").isPresent());

    answer.set(Future.failedFuture(new KeysUnavailableException(KeysUnavailableException.Kind.INVALID,
        "https://idp.example/jwks", "JWKS refused")));
    cache.refresh();
    assertEquals(ProviderStatus.ERROR, cache.snapshot().status());
    assertEquals(List.of("k1"), cache.snapshot().kids());
  }

  @Test
  @DisplayName("unknown kids refetch at most once per 30 s, and again after that")
  void unknownKidRateLimit() {
    int before = fetches.get();
    for (int i = 0; i < 50; i++) {
      cache.key("unknown-" + i);
    }
    assertEquals(before + 1, fetches.get());

    clock.advance(Duration.ofSeconds(29));
    cache.key("unknown");
    assertEquals(before + 1, fetches.get());

    clock.advance(Duration.ofSeconds(2));
    cache.key("unknown");
    assertEquals(before + 2, fetches.get());
  }

  @Test
  @DisplayName("max-age is kept between 60 s and 1 h; none means 5 min")
  void ttlBounds() {
    RefreshRules rules = RefreshRules.DEFAULT;
    assertEquals(Duration.ofSeconds(60), rules.ttl(Optional.of(Duration.ZERO)));
    assertEquals(Duration.ofMinutes(10), rules.ttl(Optional.of(Duration.ofMinutes(10))));
    assertEquals(Duration.ofHours(1), rules.ttl(Optional.of(Duration.ofDays(1))));
    assertEquals(Duration.ofMinutes(5), rules.ttl(Optional.empty()));
    assertEquals(Optional.of(Duration.ofSeconds(120)), JwksFetcher.maxAge("public, max-age=120"));
    assertEquals(Optional.of(Duration.ZERO), JwksFetcher.maxAge("no-store"));
  }
}
