package io.keepcluster.client.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeepClusterAuthOptionsTest {

  @Test
  @DisplayName("discovery from a cluster URL gets the documented defaults")
  void defaults() {
    KeepClusterAuthOptions options = KeepClusterAuthOptions.discover("https://keep.example.com/").build();
    assertEquals(Optional.of("https://keep.example.com/.well-known/openid-configuration"), options.discoveryUri());
    assertEquals(Optional.empty(), options.jwksUri());
    assertEquals(Set.of(), options.issuers());
    assertEquals("Domino", options.audience());
    assertEquals(Duration.ofSeconds(5), options.leeway());
    assertEquals(Duration.ofSeconds(30), options.minCacheTime());
    assertEquals(Duration.ofHours(1), options.maxCacheTime());
    assertEquals(Duration.ofSeconds(30), options.unknownKidRefetchInterval());
    assertEquals(1024 * 1024, options.maxJwksBytes());
  }

  @Test
  @DisplayName("an explicit JWKS address carries its issuer, plus any added ones")
  void explicitJwks() {
    KeepClusterAuthOptions options = KeepClusterAuthOptions
        .jwks("https://keep.example.com/.well-known/jwks.json", "CN=KeepCluster/F=A")
        .addIssuer("CN=KeepCluster/F=B").build();
    assertEquals(Set.of("CN=KeepCluster/F=A", "CN=KeepCluster/F=B"), options.issuers());
    assertEquals(Optional.empty(), options.discoveryUri());
  }

  @Test
  @DisplayName("each invalid value fails the build with a message naming the option")
  void invalidValuesNameTheOption() {
    String base = "https://keep.example.com";
    assertOption("discover(clusterUrl)", () -> KeepClusterAuthOptions.discover("ftp://keep.example.com"));
    assertOption("discover(clusterUrl)", () -> KeepClusterAuthOptions.discover("keep.example.com"));
    assertOption("jwks(issuer)", () -> KeepClusterAuthOptions.jwks(base + "/jwks.json", " "));
    assertOption("audience", () -> KeepClusterAuthOptions.discover(base).audience("").build());
    assertOption("leeway", () -> KeepClusterAuthOptions.discover(base).leeway(Duration.ofSeconds(-1)).build());
    assertOption("leeway", () -> KeepClusterAuthOptions.discover(base).leeway(Duration.ofHours(1)).build());
    assertOption("maxCacheTime", () -> KeepClusterAuthOptions.discover(base)
        .minCacheTime(Duration.ofMinutes(10)).maxCacheTime(Duration.ofMinutes(5)).build());
    assertOption("unknownKidRefetchInterval", () -> KeepClusterAuthOptions.discover(base)
        .unknownKidRefetchInterval(Duration.ZERO).build());
    assertOption("fetchTimeout", () -> KeepClusterAuthOptions.discover(base).fetchTimeout(null).build());
    assertOption("maxJwksBytes", () -> KeepClusterAuthOptions.discover(base).maxJwksBytes(10).build());
  }

  @Test
  @DisplayName("the options keep their own copy of the WebClient options")
  void webClientOptionsAreCopied() {
    WebClientOptions mine = new WebClientOptions().setUserAgent("mine");
    KeepClusterAuthOptions options = KeepClusterAuthOptions.discover("https://keep.example.com")
        .webClientOptions(mine).build();
    mine.setUserAgent("changed later");
    options.webClientOptions().setUserAgent("changed through the getter");
    assertEquals("mine", options.webClientOptions().getUserAgent());
  }

  private static void assertOption(String option, Supplier<Object> build) {
    InvalidOptionsException e = assertThrows(InvalidOptionsException.class, build::get);
    assertEquals(option, e.option());
    assertTrue(e.getMessage().startsWith("KeepClusterAuthOptions." + option + ": "), e.getMessage());
  }
}
