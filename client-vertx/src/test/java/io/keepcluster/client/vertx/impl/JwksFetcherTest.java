package io.keepcluster.client.vertx.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JwksFetcherTest {

  @Test
  @DisplayName("max-age is read from Cache-Control; no-store and no-cache count as zero; junk as absent")
  void maxAge() {
    assertEquals(Optional.of(Duration.ofSeconds(60)), JwksFetcher.maxAge("public, max-age=60"));
    assertEquals(Optional.of(Duration.ofSeconds(7)), JwksFetcher.maxAge("Max-Age=\"7\""));
    assertEquals(Optional.of(Duration.ZERO), JwksFetcher.maxAge("no-store"));
    assertEquals(Optional.of(Duration.ZERO), JwksFetcher.maxAge("max-age=600, no-cache"));
    assertEquals(Optional.empty(), JwksFetcher.maxAge("max-age=soon"));
    assertEquals(Optional.empty(), JwksFetcher.maxAge("public"));
    assertEquals(Optional.empty(), JwksFetcher.maxAge(null));
  }
}
