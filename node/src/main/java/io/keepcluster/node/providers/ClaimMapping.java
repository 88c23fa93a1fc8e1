package io.keepcluster.node.providers;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a provider's claims name a user and their scope. */
final class ClaimMapping {

  private ClaimMapping() {}

  /**
   * The configured {@code userIdentifier} claim alone when set (a token without it names no one:
   * falling back to another claim could name someone else); otherwise the first non-blank string
   * of {@code CN}, {@code upn}, {@code preferred_username}, {@code email}, {@code sub}.
   */
  static Optional<String> identity(JWTClaimsSet claims, Optional<String> userIdentifier) {
    List<String> order = userIdentifier.map(List::of)
        .orElse(ProviderConfigParser.DEFAULT_IDENTITY_CLAIMS);
    for (String claim : order) {
      if (claims.getClaim(claim) instanceof String value && !value.isBlank()) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /** {@code scope}, else {@code scp} (Entra ID); a list is joined with spaces; empty when absent. */
  static String scope(JWTClaimsSet claims) {
    for (String claim : List.of("scope", "scp")) {
      Object value = claims.getClaim(claim);
      if (value instanceof String text && !text.isBlank()) {
        return text;
      }
      if (value instanceof List<?> list && !list.isEmpty()) {
        return list.stream().map(String::valueOf).collect(Collectors.joining(" "));
      }
    }
    return "";
  }
}
