package io.keepcluster.client.vertx;

import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where a {@link KeepClusterAuth} finds the cluster's keys and what it demands of tokens. Immutable:
 * made by a {@link Builder} that checks every value in {@link Builder#build()}.
 *
 * <p>Two ways to point at a cluster:
 * <ul>
 *   <li>{@link #discover(String)} with the cluster's base URL: {@code URL/.well-known/openid-configuration}
 *       gives {@code jwks_uri} and {@code issuer}, and is read again at every refresh. Accepted
 *       {@code iss}: every {@code issuer} the discovery document has named since start (a
 *       KeepCluster issuer is its {@code publicUrl} and stays the same across rotations; keeping
 *       earlier ones too lets an operator move the cluster to a new URL while tokens issued under
 *       the old one are still valid), plus {@link Builder#addIssuer}.</li>
 *   <li>{@link #jwks(String, String)} with the JWKS address and the expected issuer: no discovery;
 *       accepted {@code iss}: that issuer plus {@link Builder#addIssuer}.</li>
 * </ul>
 */
public final class KeepClusterAuthOptions {

  public static final String DEFAULT_AUDIENCE = "Domino";
  public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(5);
  public static final Duration DEFAULT_MIN_CACHE_TIME = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MAX_CACHE_TIME = Duration.ofHours(1);
  public static final Duration DEFAULT_UNKNOWN_KID_REFETCH_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_JWKS_BYTES = 1024 * 1024;

  /** Ceiling for {@link Builder#leeway}: more would make {@code exp} meaningless. */
  static final Duration MAX_LEEWAY = Duration.ofMinutes(5);

  private final Optional<String> discoveryUri;
  private final Optional<String> jwksUri;
  private final Set<String> issuers;
  private final String audience;
  private final Duration leeway;
  private final Duration minCacheTime;
  private final Duration maxCacheTime;
  private final Duration unknownKidRefetchInterval;
  private final Duration fetchTimeout;
  private final int maxJwksBytes;
  private final WebClientOptions webClientOptions;

  private KeepClusterAuthOptions(Builder b) {
    this.discoveryUri = b.discoveryUri;
    this.jwksUri = b.jwksUri;
    this.issuers = Set.copyOf(b.issuers);
    this.audience = b.audience;
    this.leeway = b.leeway;
    this.minCacheTime = b.minCacheTime;
    this.maxCacheTime = b.maxCacheTime;
    this.unknownKidRefetchInterval = b.unknownKidRefetchInterval;
    this.fetchTimeout = b.fetchTimeout;
    this.maxJwksBytes = b.maxJwksBytes;
    this.webClientOptions = new WebClientOptions(b.webClientOptions);
  }

  /**
   * Follow the cluster at {@code clusterUrl} (for example {@code https://keep.example.com}): its
   * {@code /.well-known/openid-configuration} names the JWKS and the issuer.
   */
  public static Builder discover(String clusterUrl) {
    String base = requireHttpUrl("discover(clusterUrl)", clusterUrl);
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return new Builder(Optional.of(base + "/.well-known/openid-configuration"), Optional.empty(),
        null);
  }

  /** Use this JWKS address directly; tokens must carry {@code iss = issuer}. */
  public static Builder jwks(String jwksUri, String issuer) {
    requireHttpUrl("jwks(jwksUri)", jwksUri);
    if (issuer == null || issuer.isBlank()) {
      throw new InvalidOptionsException("jwks(issuer)", "the expected issuer must not be blank");
    }
    return new Builder(Optional.empty(), Optional.of(jwksUri), issuer);
  }

  /** {@code URL/.well-known/openid-configuration} when discovering, else empty. */
  public Optional<String> discoveryUri() {
    return discoveryUri;
  }

  /** The configured JWKS address; empty when it is discovered. */
  public Optional<String> jwksUri() {
    return jwksUri;
  }

  /** Issuers accepted whatever discovery says (the explicit one and {@link Builder#addIssuer}). */
  public Set<String> issuers() {
    return issuers;
  }

  public String audience() {
    return audience;
  }

  public Duration leeway() {
    return leeway;
  }

  public Duration minCacheTime() {
    return minCacheTime;
  }

  public Duration maxCacheTime() {
    return maxCacheTime;
  }

  public Duration unknownKidRefetchInterval() {
    return unknownKidRefetchInterval;
  }

  public Duration fetchTimeout() {
    return fetchTimeout;
  }

  public int maxJwksBytes() {
    return maxJwksBytes;
  }

  /** A copy: the options stay immutable. */
  public WebClientOptions webClientOptions() {
    return new WebClientOptions(webClientOptions);
  }

  /** Where keys come from, for messages and logs. */
  public String source() {
    return discoveryUri.or(() -> jwksUri).orElseThrow();
  }

  private static String requireHttpUrl(String option, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidOptionsException(option, "must not be blank");
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw new InvalidOptionsException(option, "must be an absolute http(s) URL, got " + value);
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new InvalidOptionsException(option, "must have no query or fragment, got " + value);
      }
    } catch (URISyntaxException e) {
      throw new InvalidOptionsException(option, "is not a URL: " + e.getMessage());
    }
    return value;
  }

  /** Collects values; {@link #build()} checks them all. Not thread-safe, not reusable after build. */
  public static final class Builder {

    private final Optional<String> discoveryUri;
    private final Optional<String> jwksUri;
    private final Set<String> issuers = new LinkedHashSet<>();
    private String audience = DEFAULT_AUDIENCE;
    private Duration leeway = DEFAULT_LEEWAY;
    private Duration minCacheTime = DEFAULT_MIN_CACHE_TIME;
    private Duration maxCacheTime = DEFAULT_MAX_CACHE_TIME;
    private Duration unknownKidRefetchInterval = DEFAULT_UNKNOWN_KID_REFETCH_INTERVAL;
    private Duration fetchTimeout = DEFAULT_FETCH_TIMEOUT;
    private int maxJwksBytes = DEFAULT_MAX_JWKS_BYTES;
    private WebClientOptions webClientOptions = new WebClientOptions();

    private Builder(Optional<String> discoveryUri, Optional<String> jwksUri, String issuer) {
      this.discoveryUri = discoveryUri;
      this.jwksUri = jwksUri;
      if (issuer != null) {
        issuers.add(issuer);
      }
    }

    /** The {@code aud} value tokens must contain. Default {@code Domino}. */
    public Builder audience(String audience) {
      this.audience = audience;
      return this;
    }

    /** One more accepted {@code iss}, whatever discovery says. */
    public Builder addIssuer(String issuer) {
      if (issuer == null || issuer.isBlank()) {
        throw new InvalidOptionsException("addIssuer", "an issuer must not be blank");
      }
      issuers.add(issuer);
      return this;
    }

    /** Clock skew allowed on {@code exp}, {@code nbf} and {@code iat}. Default 5 s, at most 5 min. */
    public Builder leeway(Duration leeway) {
      this.leeway = leeway;
      return this;
    }

    /** Keys are kept at least this long, whatever the server's max-age. Default 30 s. */
    public Builder minCacheTime(Duration minCacheTime) {
      this.minCacheTime = minCacheTime;
      return this;
    }

    /** Keys are refetched at the latest after this long, whatever the server's max-age. Default 1 h. */
    public Builder maxCacheTime(Duration maxCacheTime) {
      this.maxCacheTime = maxCacheTime;
      return this;
    }

    /** At most one refetch per this interval is caused by tokens with an unknown kid. Default 30 s. */
    public Builder unknownKidRefetchInterval(Duration interval) {
      this.unknownKidRefetchInterval = interval;
      return this;
    }

    /** Time allowed for one HTTP fetch (discovery or JWKS), connect to last byte. Default 5 s. */
    public Builder fetchTimeout(Duration fetchTimeout) {
      this.fetchTimeout = fetchTimeout;
      return this;
    }

    /** Larger discovery or JWKS bodies are refused (and the last good keys kept). Default 1 MiB. */
    public Builder maxJwksBytes(int maxJwksBytes) {
      this.maxJwksBytes = maxJwksBytes;
      return this;
    }

    /** HTTP client settings for the fetches (TLS trust, proxy...). Copied. */
    public Builder webClientOptions(WebClientOptions options) {
      if (options == null) {
        throw new InvalidOptionsException("webClientOptions", "must not be null");
      }
      this.webClientOptions = new WebClientOptions(options);
      return this;
    }

    public KeepClusterAuthOptions build() {
      if (audience == null || audience.isBlank()) {
        throw new InvalidOptionsException("audience", "must not be blank");
      }
      requireNonNegative("leeway", leeway);
      if (leeway.compareTo(MAX_LEEWAY) > 0) {
        throw new InvalidOptionsException("leeway", "must be at most " + MAX_LEEWAY + ", got " + leeway);
      }
      requirePositive("minCacheTime", minCacheTime);
      requirePositive("maxCacheTime", maxCacheTime);
      if (maxCacheTime.compareTo(minCacheTime) < 0) {
        throw new InvalidOptionsException("maxCacheTime",
            "must be at least minCacheTime (" + minCacheTime + "), got " + maxCacheTime);
      }
      requirePositive("unknownKidRefetchInterval", unknownKidRefetchInterval);
      requirePositive("fetchTimeout", fetchTimeout);
      if (fetchTimeout.toMillis() < 1) {
        throw new InvalidOptionsException("fetchTimeout", "must be at least 1 ms");
      }
      if (maxJwksBytes < 1024) {
        throw new InvalidOptionsException("maxJwksBytes", "must be at least 1024, got " + maxJwksBytes);
      }
      return new KeepClusterAuthOptions(this);
    }

    private static void requirePositive(String option, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new InvalidOptionsException(option, "must be a positive duration, got " + value);
      }
    }

    private static void requireNonNegative(String option, Duration value) {
      if (value == null || value.isNegative()) {
        throw new InvalidOptionsException(option, "must be zero or positive, got " + value);
      }
    }
  }
}
