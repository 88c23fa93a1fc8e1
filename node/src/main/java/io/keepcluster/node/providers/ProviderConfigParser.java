package io.keepcluster.node.providers;

import com.nimbusds.jose.JWSAlgorithm;
import io.keepcluster.node.config.ConfigException;
import io.keepcluster.shared.files.SafeFiles;
import io.keepcluster.shared.keys.KeysetLoadException;
import io.keepcluster.shared.keys.PemKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses DRAPI's {@code jwt} section into {@link ProviderConfig}s. Every error names the provider
 * and the key ({@code jwt.keycloak.aud ...}), like {@code NodeConfigParser}. Only asymmetric
 * algorithms are accepted: a provider's keys are public, and an HMAC "public key" would let
 * anyone who fetched it sign.
 */
public final class ProviderConfigParser {

  /** The claims that name a user when {@code userIdentifier} is not set, first present wins. */
  public static final List<String> DEFAULT_IDENTITY_CLAIMS =
      List.of("CN", "upn", "preferred_username", "email", "sub");
  /** The default allow-list when a provider names no {@code algorithm}. */
  static final List<JWSAlgorithm> DEFAULT_ALGORITHMS = List.of(JWSAlgorithm.RS256);
  static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
  static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
  private static final Set<String> KNOWN_KEYS = Set.of("active", "providerUrl", "keyFile", "kid",
      "algorithm", "alg", "iss", "aud", "userIdentifier", "replicatedFrom");
  private static final int MAX_NAME = 64;
  /** Marks a provider this node holds as a copy of the cluster's (see {@code ProviderSync}). */
  public static final String REPLICATED_FROM = "replicatedFrom";

  /** Where the PEM text of a {@code keyFile} comes from: the node's folder, or a grid record. */
  @FunctionalInterface
  public interface KeyText {
    /** The PEM text of {@code file}; {@code at} names the setting for error messages. */
    String read(String at, String file) throws ConfigException;
  }

  private ProviderConfigParser() {}

  /**
   * @param configDir a {@code keyFile} resolves by its file name in this folder first, then as given
   * @param jwt the {@code jwt} object; null means none
   */
  public static List<ProviderConfig> parse(Path configDir, Object jwt) throws ConfigException {
    if (jwt == null) {
      return List.of();
    }
    if (!(jwt instanceof JsonObject section)) {
      throw new ConfigException("jwt must be a JSON object of providers by name");
    }
    List<ProviderConfig> providers = new ArrayList<>();
    Map<String, String> byIssuer = new LinkedHashMap<>();
    for (String name : section.fieldNames().stream().sorted().toList()) {
      ProviderConfig provider = provider(name, section.getValue(name), keyFiles(configDir));
      String previous = byIssuer.putIfAbsent(provider.issuer(), name);
      if (previous != null) {
        throw new ConfigException("jwt." + name + ".iss " + provider.issuer()
            + " is already the issuer of jwt." + previous + ": one issuer, one provider");
      }
      providers.add(provider);
    }
    return List.copyOf(providers);
  }

  /** Reads a {@code keyFile} from {@code configDir} (by file name first, then as given), size-capped. */
  public static KeyText keyFiles(Path configDir) {
    return (at, file) -> {
      Path path = resolve(configDir, file, at);
      try {
        return SafeFiles.readText(path, SafeFiles.MAX_PEM_BYTES);
      } catch (IOException e) {
        throw new ConfigException(at + ".keyFile " + path + " cannot be read: " + SafeFiles.reason(e));
      }
    };
  }

  /** One provider's settings, its {@code keyFile} read through {@code keys}. */
  public static ProviderConfig provider(String name, Object value, KeyText keyText)
      throws ConfigException {
    if (name.isBlank() || name.length() > MAX_NAME || !name.matches("[A-Za-z0-9_.-]+")) {
      throw new ConfigException("jwt provider name \"" + printable(name)
          + "\" must be 1-64 of A-Z a-z 0-9 _ . -");
    }
    String at = "jwt." + name;
    if (!(value instanceof JsonObject json)) {
      throw new ConfigException(at + " must be a JSON object");
    }
    for (String key : json.fieldNames()) {
      if (!KNOWN_KEYS.contains(key)) {
        throw new ConfigException(at + "." + printable(key) + " is not a provider setting (known: "
            + String.join(", ", KNOWN_KEYS.stream().sorted().toList()) + ")");
      }
    }
    boolean active = bool(json, at, "active", true);
    String issuer = requiredString(json, at, "iss");
    List<String> audiences = audiences(json, at);
    List<JWSAlgorithm> algorithms = algorithms(json, at);
    Optional<String> userIdentifier = optionalString(json, at, "userIdentifier");

    boolean hasUrl = json.getValue("providerUrl") != null;
    boolean hasFile = json.getValue("keyFile") != null;
    if (hasUrl == hasFile) {
      throw new ConfigException(at + " needs exactly one of providerUrl (discovery) or keyFile"
          + " (a PEM public key with kid and algorithm)");
    }
    ProviderConfig.KeySource keys = hasUrl
        ? new ProviderConfig.Discovery(discoveryUrl(at, requiredString(json, at, "providerUrl")))
        : staticKey(keyText, json, at, algorithms);
    return new ProviderConfig(name, active, keys, issuer, audiences, algorithms, userIdentifier);
  }

  /** A base URL gets {@code /.well-known/openid-configuration}; the discovery URL itself is kept. */
  static URI discoveryUrl(String at, String text) throws ConfigException {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new ConfigException(at + ".providerUrl is not a URL: " + printable(text));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
        || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(at + ".providerUrl must be an absolute http(s) URL without"
          + " user info, query or fragment (got: " + printable(text) + ")");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.endsWith(DISCOVERY_PATH)) {
      return uri;
    }
    String base = uri.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + DISCOVERY_PATH);
  }

  private static ProviderConfig.StaticKey staticKey(KeyText keys, JsonObject json, String at,
      List<JWSAlgorithm> algorithms) throws ConfigException {
    String kid = requiredString(json, at, "kid");
    if (json.getValue("algorithm") == null && json.getValue("alg") == null) {
      throw new ConfigException(at + ".algorithm is required with keyFile (like RS256 or ES256)");
    }
    if (algorithms.size() != 1) {
      throw new ConfigException(at + ".algorithm must name one algorithm with keyFile (the key's)");
    }
    String file = requiredString(json, at, "keyFile");
    PublicKey key;
    try {
      key = PemKeys.parsePublicKey(keys.read(at, file));
    } catch (KeysetLoadException e) {
      throw new ConfigException(at + ".keyFile " + printable(file) + ": " + e.getMessage());
    }
    try {
      ProviderKeys.check(key, algorithms.get(0));
    } catch (ProviderKeys.UnusableKeyException e) {
      throw new ConfigException(at + ".keyFile " + printable(file) + ": " + e.getMessage());
    }
    return new ProviderConfig.StaticKey(kid, key, file);
  }

  /** By file name inside the node's own folder first (so copied configs work), then as given. */
  private static Path resolve(Path configDir, String file, String at) throws ConfigException {
    try {
      Path given = Path.of(file);
      Path fileName = given.getFileName();
      if (fileName != null) {
        Path local = configDir.resolve(fileName.toString());
        if (Files.isRegularFile(local)) {
          return local;
        }
      }
      if (Files.isRegularFile(given)) {
        return given;
      }
      throw new ConfigException(at + ".keyFile " + printable(file) + " not found in " + configDir
          + " nor as given");
    } catch (InvalidPathException e) {
      throw new ConfigException(at + ".keyFile is not a file path: " + printable(file));
    }
  }

  private static List<String> audiences(JsonObject json, String at) throws ConfigException {
    Object value = json.getValue("aud");
    List<String> audiences = new ArrayList<>();
    if (value instanceof String s && !s.isBlank()) {
      audiences.add(s);
    } else if (value instanceof JsonArray array && !array.isEmpty()) {
      for (Object item : array) {
        if (!(item instanceof String s) || s.isBlank()) {
          throw new ConfigException(at + ".aud must be a string or a list of strings");
        }
        audiences.add(s);
      }
    } else {
      throw new ConfigException(at + ".aud is required: a string or a non-empty list of strings"
          + " (the audience this cluster is for at that provider)");
    }
    return audiences;
  }

  /** {@code algorithm} (or DRAPI's {@code alg}): one name or a list; default RS256. */
  private static List<JWSAlgorithm> algorithms(JsonObject json, String at) throws ConfigException {
    String key = json.getValue("algorithm") != null ? "algorithm" : "alg";
    if (json.getValue("algorithm") != null && json.getValue("alg") != null) {
      throw new ConfigException(at + " sets both algorithm and alg: use one");
    }
    Object value = json.getValue(key);
    if (value == null) {
      return DEFAULT_ALGORITHMS;
    }
    List<Object> names = value instanceof JsonArray array ? array.getList() : List.of(value);
    if (names.isEmpty()) {
      throw new ConfigException(at + "." + key + " must name at least one algorithm");
    }
    List<JWSAlgorithm> algorithms = new ArrayList<>();
    for (Object name : names) {
      if (!(name instanceof String s)) {
        throw new ConfigException(at + "." + key + " must be an algorithm name or a list of them");
      }
      JWSAlgorithm algorithm = JWSAlgorithm.parse(s.trim());
      if (!ASYMMETRIC.contains(algorithm)) {
        throw new ConfigException(at + "." + key + " " + printable(s) + " is not allowed for a"
            + " provider: use RS256/384/512, PS256/384/512 or ES256/384/512 (HMAC and none would"
            + " let anyone holding the public key sign)");
      }
      if (!algorithms.contains(algorithm)) {
        algorithms.add(algorithm);
      }
    }
    return algorithms;
  }

  private static boolean bool(JsonObject json, String at, String key, boolean fallback)
      throws ConfigException {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw new ConfigException(at + "." + key + " must be true or false");
    }
    return b;
  }

  private static String requiredString(JsonObject json, String at, String key) throws ConfigException {
    Object value = json.getValue(key);
    if (!(value instanceof String s) || s.isBlank()) {
      throw new ConfigException(at + "." + key + " is required and must be a non-empty string");
    }
    return s;
  }

  private static Optional<String> optionalString(JsonObject json, String at, String key)
      throws ConfigException {
    Object value = json.getValue(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw new ConfigException(at + "." + key + " must be a non-empty string");
    }
    return Optional.of(s);
  }

  private static String printable(String text) {
    String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
