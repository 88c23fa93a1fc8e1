package io.keepcluster.node.config;

import io.keepcluster.node.providers.ProviderConfig;
import io.keepcluster.node.providers.ProviderConfigParser;
import io.keepcluster.shared.cluster.ClusterSecret;
import io.keepcluster.shared.cluster.WeakSecretException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the merged JSON into a {@link NodeConfig}, naming the key and the rule on any error. */
public final class NodeConfigParser {

  static final String PUBLIC_URL = "publicUrl";
  static final String ISSUER = "issuer";
  static final String ROLLOVER_LEAD = "rolloverLeadSeconds";
  /** The longest lead accepted: a day is far beyond any sane JWKS cache lifetime. */
  static final int MAX_ROLLOVER_LEAD_SECONDS = 86400;

  private NodeConfigParser() {}

  public static NodeConfig parse(Path configDir, JsonObject raw, Map<String, String> env)
      throws ConfigException {
    Ports ports = new Ports(
        port(raw, "PORT"), port(raw, "HEALTHCHECKPORT"), port(raw, "MANAGMENTPORT"),
        port(raw, "METRICSPORT"));
    String bind = string(raw, "BIND");

    int duration = positiveInt(raw, "JwtDuration");
    int maxDuration = positiveInt(raw, "maxJwtDuration");
    if (duration > maxDuration) {
      throw new ConfigException("JwtDuration (" + duration + ") must not exceed maxJwtDuration ("
          + maxDuration + ")");
    }
    int leeway = nonNegativeInt(raw, "leeway");
    ClusterSettings cluster = cluster(object(raw, "cluster"), env);
    PublicUrl publicUrl = publicUrl(raw, cluster, ports);
    TokenSettings tokens = new TokenSettings(
        Duration.ofSeconds(duration), Duration.ofSeconds(maxDuration),
        issuer(raw, publicUrl), string(raw, "JwtAudience"), Duration.ofSeconds(leeway));
    Duration rolloverLead = Duration.ofSeconds(
        rangeInt(raw, ROLLOVER_LEAD, ROLLOVER_LEAD, 0, MAX_ROLLOVER_LEAD_SECONDS));

    JsonObject lockoutJson = object(raw, "lockout");
    LockoutPolicy lockout = new LockoutPolicy(
        positiveInt(lockoutJson, "lockout.attempts", "attempts"),
        Duration.ofMinutes(positiveInt(lockoutJson, "lockout.minutes", "minutes")));

    checkProviders(configDir, raw, tokens.issuer());

    Object disabled = raw.getValue("disableDominoLogin");
    if (!(disabled instanceof Boolean)) {
      throw new ConfigException("disableDominoLogin must be true or false");
    }
    return new NodeConfig(configDir, bind, ports, (Boolean) disabled, tokens, publicUrl,
        rolloverLead, lockout, cluster, object(raw, "managementAccounts").copy(),
        http(object(raw, "http")), login(object(raw, "login"), Runtime.getRuntime().availableProcessors()),
        ServerSettingsParser.parse(configDir, raw), raw.copy());
  }

  /**
   * The {@code jwt} section is parsed here too, so a broken provider stops the start and is
   * reported by the reload check, like every other key. A provider may not claim the cluster's own
   * issuer: its tokens would then be taken for the cluster's.
   */
  private static void checkProviders(Path configDir, JsonObject raw, String clusterIssuer)
      throws ConfigException {
    for (ProviderConfig provider : ProviderConfigParser.parse(configDir, raw.getValue("jwt"))) {
      if (provider.issuer().equals(clusterIssuer)) {
        throw new ConfigException("jwt." + provider.name() + ".iss " + clusterIssuer
            + " is this cluster's own issuer: a provider needs an issuer of its own");
      }
    }
  }

  private static HttpLimits http(JsonObject json) throws ConfigException {
    return new HttpLimits(
        Duration.ofSeconds(rangeInt(json, "http.idleTimeoutSeconds", "idleTimeoutSeconds", 1, 86_400)),
        Duration.ofSeconds(rangeInt(json, "http.requestHeaderTimeoutSeconds",
            "requestHeaderTimeoutSeconds", 1, 3_600)),
        rangeInt(json, "http.maxConnections", "maxConnections", 1, 1_000_000),
        rangeInt(json, "http.maxInitialLineLength", "maxInitialLineLength", 256, 65_536));
  }

  /** Absent or null {@code hashingThreads} / {@code maxQueued} follow the machine's cores. */
  static LoginLimits login(JsonObject json, int cores) throws ConfigException {
    int threads = json.getValue("hashingThreads") == null ? Math.max(1, cores)
        : rangeInt(json, "login.hashingThreads", "hashingThreads", 1, 256);
    int queued = json.getValue("maxQueued") == null ? 4 * threads
        : rangeInt(json, "login.maxQueued", "maxQueued", 0, 100_000);
    return new LoginLimits(threads, queued);
  }

  /**
   * {@code publicUrl}, or on a single node {@code http://localhost:PORT} as a fallback. A
   * multi-node cluster without it refuses to start: each node would otherwise sign with an issuer
   * of its own and publish URLs of its own, so tokens of one node would fail on the others.
   */
  private static PublicUrl publicUrl(JsonObject raw, ClusterSettings cluster, Ports ports)
      throws ConfigException {
    Object value = raw.getValue(PUBLIC_URL);
    if (value == null) {
      if (cluster.multiNode()) {
        throw new ConfigException("cluster members are configured but publicUrl (env KEEP_PUBLIC_URL)"
            + " is not set: every node must sign with the same issuer and publish the same URLs;"
            + " set it to the URL clients use, like https://sso.acme.test/keep");
      }
      return PublicUrl.localhost(ports.api());
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw new ConfigException(PUBLIC_URL + " must be an absolute http(s) URL string (got: " + value + ")");
    }
    return PublicUrl.parse(PUBLIC_URL, text);
  }

  /**
   * {@code issuer}, by default the public URL. DRAPI's {@code JwtIssuer} belongs in a keyset's
   * descriptor; at the top level it would be silently ignored, so it is refused with the fix.
   */
  private static String issuer(JsonObject raw, PublicUrl publicUrl) throws ConfigException {
    if (raw.getValue("JwtIssuer") != null) {
      throw new ConfigException("JwtIssuer is a keyset setting (NAME.json), not a cluster setting:"
          + " the cluster's tokens carry issuer (default: publicUrl); set issuer or publicUrl instead");
    }
    Object value = raw.getValue(ISSUER);
    if (value == null) {
      return publicUrl.url();
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw new ConfigException(ISSUER + " must be an absolute http(s) URL string (got: " + value + ")");
    }
    return PublicUrl.absoluteHttpUrl(ISSUER, text, false);
  }

  private static ClusterSettings cluster(JsonObject json, Map<String, String> env)
      throws ConfigException {
    List<String> members = new ArrayList<>();
    Object rawMembers = json.getValue("members");
    if (rawMembers != null && !(rawMembers instanceof JsonArray)) {
      throw new ConfigException("cluster.members must be an array of \"host:port\" strings");
    }
    if (rawMembers instanceof JsonArray array) {
      for (Object member : array) {
        if (!(member instanceof String s) || s.isBlank()) {
          throw new ConfigException("cluster.members must be an array of \"host:port\" strings");
        }
        members.add(s.trim());
      }
    }
    Object k8s = json.getValue("kubernetes");
    boolean kubernetes = k8s instanceof JsonObject o && !Boolean.FALSE.equals(o.getValue("enabled"));
    Optional<ClusterSecret> secret = secret(env);
    Optional<String> iface = Optional.ofNullable(json.getValue("interface"))
        .map(Object::toString).filter(s -> !s.isBlank());
    int port = json.getValue("port") == null ? 5701 : rangeInt(json, "cluster.port", "port", 0, 65535);
    String name = json.getValue("name") instanceof String s && !s.isBlank() ? s : "keepcluster";
    ClusterSettings settings = new ClusterSettings(name, members, port, iface, kubernetes, secret);
    if (settings.multiNode() && settings.secret().isEmpty()) {
      throw new ConfigException("cluster members are configured but KEEP_CLUSTER_SECRET is not set:"
          + " a multi-node cluster needs a shared secret to encrypt private keys");
    }
    return settings;
  }

  /**
   * {@code KEEP_CLUSTER_SECRET}, empty meaning unset. A set secret must be strong even on a
   * single node, so that adding members later cannot start a cluster on a weak one.
   */
  private static Optional<ClusterSecret> secret(Map<String, String> env) throws ConfigException {
    String text = env.get("KEEP_CLUSTER_SECRET");
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ClusterSecret.parse(text));
    } catch (WeakSecretException e) {
      // The message names the rule and the fix, never the secret: safe to print as it is.
      throw new ConfigException(e.getMessage());
    }
  }

  private static int port(JsonObject raw, String key) throws ConfigException {
    return rangeInt(raw, key, key, 0, 65535);
  }

  private static int positiveInt(JsonObject raw, String key) throws ConfigException {
    return rangeInt(raw, key, key, 1, Integer.MAX_VALUE);
  }

  private static int positiveInt(JsonObject raw, String label, String key) throws ConfigException {
    return rangeInt(raw, label, key, 1, Integer.MAX_VALUE);
  }

  private static int nonNegativeInt(JsonObject raw, String key) throws ConfigException {
    return rangeInt(raw, key, key, 0, Integer.MAX_VALUE);
  }

  private static int rangeInt(JsonObject raw, String label, String key, int min, int max)
      throws ConfigException {
    Object value = raw.getValue(key);
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
        || number.doubleValue() < min || number.doubleValue() > max) {
      throw new ConfigException(label + " must be an integer between " + min + " and " + max
          + " (got: " + value + ")");
    }
    return number.intValue();
  }

  private static String string(JsonObject raw, String key) throws ConfigException {
    Object value = raw.getValue(key);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new ConfigException(key + " must be a non-empty string");
    }
    return s;
  }

  private static JsonObject object(JsonObject raw, String key) throws ConfigException {
    Object value = raw.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject o)) {
      throw new ConfigException(key + " must be a JSON object");
    }
    return o;
  }
}
