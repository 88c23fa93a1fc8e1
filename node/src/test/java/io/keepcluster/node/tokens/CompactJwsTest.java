package io.keepcluster.node.tokens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pieces of the one-pass bearer parse: the header cache and the canonical base64 check. */
class CompactJwsTest {

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  @Test
  @DisplayName("the canonical check accepts a part exactly when re-encoding its bytes gives back its text")
  void canonicalDecodeMatchesReEncoding() throws Exception {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    Random random = new Random(7);
    int checked = 0;
    for (int length = 0; length <= 12; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      String canonical = encoder.encodeToString(bytes);
      if (canonical.isEmpty()) {
        assertArrayEquals(bytes, CanonicalCompactForm.decode(canonical, "part"));
        continue;
      }
      String stem = canonical.substring(0, canonical.length() - 1);
      for (char last : ALPHABET.toCharArray()) {
        String part = stem + last;
        byte[] decoded = Base64.getUrlDecoder().decode(part);
        boolean reEncodes = encoder.encodeToString(decoded).equals(part);
        if (reEncodes) {
          assertArrayEquals(decoded, CanonicalCompactForm.decode(part, "part"), part);
        } else {
          TokenRejectedException e = assertThrows(TokenRejectedException.class,
              () -> CanonicalCompactForm.decode(part, "part"), part);
          assertEquals(RejectionReason.NON_CANONICAL, e.reason(), part);
        }
        checked++;
      }
    }
    assertEquals(12 * 64, checked);
  }

  @Test
  @DisplayName("only plain JWS headers are stored: alg, kid and typ, and an alg other than none")
  void storableHeaders() {
    assertTrue(HeaderCache.storable(Map.of("alg", "RS256", "kid", "k1", "typ", "JWT")));
    assertTrue(HeaderCache.storable(Map.of("alg", "ES256")));
    assertFalse(HeaderCache.storable(Map.of("alg", "none", "kid", "k1")), "alg none");
    assertFalse(HeaderCache.storable(Map.of("kid", "k1")), "no alg");
    assertFalse(HeaderCache.storable(Map.of("alg", 5)), "alg not a string");
    assertFalse(HeaderCache.storable(Map.of("alg", "RSA-OAEP-256", "enc", "A256GCM")), "a JWE header");
    assertFalse(HeaderCache.storable(Map.of("alg", "RS256", "b64", false)), "unencoded payload");
    assertFalse(HeaderCache.storable(Map.of("alg", "RS256", "jwk", Map.of())), "embedded key");
    assertFalse(HeaderCache.storable(Map.of("alg", "RS256", "crit", java.util.List.of("exp"))), "crit");
  }

  @Test
  @DisplayName("the header cache never holds more than its bound, however many headers clients make up")
  void headerCacheIsBounded() {
    HeaderCache cache = new HeaderCache();
    JWSHeader header = new JWSHeader(JWSAlgorithm.RS256);
    for (int i = 0; i < 10 * HeaderCache.MAX_ENTRIES; i++) {
      cache.put("segment" + i, header);
      assertTrue(cache.size() <= HeaderCache.MAX_ENTRIES);
    }
    assertNotNull(cache.get("segment" + (10 * HeaderCache.MAX_ENTRIES - 1)));
    assertNull(cache.get("segment0"));
  }
}
