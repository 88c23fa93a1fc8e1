package io.keepcluster.node.tokens;

import com.nimbusds.jose.JWSHeader;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JWS headers already parsed, by the exact text of their base64url segment. A cluster signs with
 * a handful of headers ({@code alg}, {@code kid}, {@code typ}), so nearly every token repeats one
 * of them; parsing it once saves a base64 decode and a JSON parse per token. A header's
 * spelling, JSON and {@code crit} checks depend on its text alone, so a stored segment passed
 * them; the checks that depend on the key (alg, kid) still run on every token.
 *
 * <p>Only plain headers are stored ({@link #storable}); any other header takes Nimbus' own parser
 * on every use. Bounded: at {@value #MAX_ENTRIES} entries the map is emptied, so headers made up
 * by a client cost memory only briefly.
 */
final class HeaderCache {

  static final int MAX_ENTRIES = 256;

  /** The parameters of the headers the cluster's signers write. */
  private static final Set<String> PLAIN_PARAMETERS = Set.of("alg", "kid", "typ");

  private final Map<String, JWSHeader> headers = new ConcurrentHashMap<>();

  /** The parsed header of this segment, or null. */
  JWSHeader get(String segment) {
    return headers.get(segment);
  }

  void put(String segment, JWSHeader header) {
    if (headers.size() >= MAX_ENTRIES) {
      headers.clear();
    }
    headers.put(segment, header);
  }

  int size() {
    return headers.size();
  }

  /**
   * A header Nimbus would read as a JWS header and nothing else: only {@code alg}, {@code kid}
   * and {@code typ}, and an {@code alg} other than {@code none}. Anything else (no alg, alg none,
   * a JWE's {@code enc}, {@code b64}, embedded keys) keeps going through Nimbus' full parser.
   */
  static boolean storable(Map<String, Object> header) {
    return header.get("alg") instanceof String alg && !"none".equals(alg)
        && PLAIN_PARAMETERS.containsAll(header.keySet());
  }
}
