package io.keepcluster.shared.keys;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed {@code NAME.json} keyset descriptor in DRAPI's format, plus KeepCluster's optional
 * extensions {@code "active"} and {@code "JwsAlgorithm"}.
 *
 * <p>Parsing only reads the descriptor; the {@link KeysetLoader} resolves and checks the files.
 */
public final class KeysetDescriptor {

  static final String USE_PUB_PRIV_KEY = "JwtUsePubPrivKey";
  static final String USE_PEM_FILE = "JwtUsePemFile";
  static final String ISSUER = "JwtIssuer";
  static final String PRIVATE_KEY_FILE = "JwtPrivateKeyFile";
  static final String PUBLIC_KEY_FILE = "JwtPublicKeyFile";
  static final String CERT_FILE = "JwtCertFile";
  static final String ALGORITHM = "JwtAlgorithm";
  static final String JWS_ALGORITHM = "JwsAlgorithm";
  static final String ACTIVE = "active";

  private final String fileName;
  private final KeysetName name;
  private final JsonObject json;
  private final String source;
  private final String issuer;
  private final String privateKeyFile;
  private final String publicKeyFile;
  private final String certFile;
  private final String algorithmFamily;
  private final String jwsAlgorithm;
  private final boolean active;

  private KeysetDescriptor(String fileName, KeysetName name, JsonObject json, String source)
      throws KeysetLoadException {
    this.fileName = fileName;
    this.name = name;
    this.json = json;
    this.source = source;
    this.issuer = Optional.ofNullable(string(ISSUER)).orElse(defaultIssuer(name));
    this.privateKeyFile = string(PRIVATE_KEY_FILE);
    this.publicKeyFile = string(PUBLIC_KEY_FILE);
    this.certFile = string(CERT_FILE);
    this.algorithmFamily = family(string(ALGORITHM));
    this.jwsAlgorithm = string(JWS_ALGORITHM);
    this.active = bool(ACTIVE, true);
    if (!bool(USE_PEM_FILE, true)) {
      throw new KeysetLoadException(fileName, USE_PEM_FILE + " false (a key store) is not supported; use PEM key files");
    }
    if (issuer.isBlank()) {
      throw new KeysetLoadException(fileName, ISSUER + " must not be blank");
    }
  }

  /**
   * Parses the descriptor {@code json} read from {@code fileName} (e.g. "NAME.json").
   *
   * @return empty if the JSON is not a keyset descriptor (no {@code "JwtUsePubPrivKey": true})
   * @throws KeysetLoadException if the JSON is invalid, the file name is not a valid keyset
   *         NAME, or a field has the wrong type or value
   */
  public static Optional<KeysetDescriptor> parse(String fileName, String json) throws KeysetLoadException {
    Object decoded;
    try {
      decoded = Json.decodeValue(json);
    } catch (DecodeException e) {
      // Jackson appends a multi-line source excerpt; the first line names the problem.
      String reason = e.getMessage() == null ? "not a JSON object" : e.getMessage().lines().findFirst().orElse("");
      throw new KeysetLoadException(fileName, "invalid JSON: " + reason);
    }
    if (!(decoded instanceof JsonObject object)) {
      return Optional.empty(); // valid JSON but not an object (an array, a number): not a descriptor
    }
    Object flag = object.getValue(USE_PUB_PRIV_KEY);
    if (!(Boolean.TRUE.equals(flag) || (flag instanceof String s && s.equalsIgnoreCase("true")))) {
      return Optional.empty();
    }
    String stem = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    if (!KeysetName.isValid(stem)) {
      throw new KeysetLoadException(fileName, "file name must be NAME.json where NAME is 1-64 characters of A-Z a-z 0-9 _ -");
    }
    return Optional.of(new KeysetDescriptor(fileName, KeysetName.of(stem), object, json));
  }

  /** DRAPI's default issuer for a keyset: "CN=KeepCluster/F=NAME". */
  public static String defaultIssuer(KeysetName name) {
    return "CN=KeepCluster/F=" + name.value();
  }

  public String fileName() {
    return fileName;
  }

  public KeysetName name() {
    return name;
  }

  public String issuer() {
    return issuer;
  }

  /** {@code JwtPrivateKeyFile} as written, or {@code null}. */
  public String privateKeyFile() {
    return privateKeyFile;
  }

  /** {@code JwtPublicKeyFile} as written, or {@code null}. */
  public String publicKeyFile() {
    return publicKeyFile;
  }

  /** {@code JwtCertFile} as written, or {@code null}. */
  public String certFile() {
    return certFile;
  }

  /** {@code JwtAlgorithm}: "RSA" or "EC" if given. */
  public Optional<String> algorithmFamily() {
    return Optional.ofNullable(algorithmFamily);
  }

  /** The {@code JwsAlgorithm} extension, e.g. "PS256", if given. */
  public Optional<String> jwsAlgorithm() {
    return Optional.ofNullable(jwsAlgorithm);
  }

  /** {@code "active"}; false retires the keyset from signing. Default true. */
  public boolean active() {
    return active;
  }

  /** A copy of the descriptor JSON as parsed (unknown keys included). */
  public JsonObject json() {
    return json.copy();
  }

  /** The descriptor text exactly as read. */
  String source() {
    return source;
  }

  private String string(String key) throws KeysetLoadException {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new KeysetLoadException(fileName, key + " must be a string");
    }
    return s;
  }

  private boolean bool(String key, boolean fallback) throws KeysetLoadException {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw new KeysetLoadException(fileName, key + " must be true or false");
    }
    return b;
  }

  private String family(String raw) throws KeysetLoadException {
    if (raw == null) {
      return null;
    }
    String upper = raw.trim().toUpperCase(Locale.ROOT);
    if (!upper.equals("RSA") && !upper.equals("EC")) {
      throw new KeysetLoadException(fileName, ALGORITHM + " must be RSA or EC (got: " + raw + ")");
    }
    return upper;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeysetDescriptor other && fileName.equals(other.fileName) && json.equals(other.json);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fileName, json);
  }

  @Override
  public String toString() {
    return "KeysetDescriptor[file=" + fileName + ", issuer=" + issuer + ", active=" + active + "]";
  }
}
