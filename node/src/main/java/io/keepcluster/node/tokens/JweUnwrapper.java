package io.keepcluster.node.tokens;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import io.keepcluster.node.keys.DecryptionKey;
import io.keepcluster.node.keys.DecryptionKeys;
import io.keepcluster.node.logging.LogSafe;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.Set;

/**
 * The decryption step in front of {@link TokenVerifier} (DRAPI's "decryption capabilities", issue
 * 10): a compact JWE addressed to a keyset's public key is opened on any node, since every node
 * holds every keyset, and its inner compact JWS is handed back to be verified exactly as a bare
 * token. Anything that is not a five-part token passes through untouched.
 *
 * <p>One shape only, checked before any cryptography: five canonical base64url parts; {@code alg}
 * RSA-OAEP-256 (RSA keysets) or ECDH-ES+A256KW (EC keysets), and the one the kid's key type
 * allows; {@code enc} A256GCM; {@code cty} JWT; a {@code kid} naming a keyset this node holds. No
 * {@code zip} (a small token must not inflate into a large one), no keys or key URLs in the header
 * ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}), no {@code crit}. The decrypted content
 * must be a compact JWS, never another JWE.
 */
public final class JweUnwrapper {

  /** The accepted key-management algorithms; each keyset allows exactly one of them. */
  static final Set<JWEAlgorithm> ALGORITHMS = Set.of(JWEAlgorithm.RSA_OAEP_256, JWEAlgorithm.ECDH_ES_A256KW);

  private static final JweUnwrapper DISABLED = new JweUnwrapper(DecryptionKeys.NONE, false);

  private final DecryptionKeys keys;
  private final boolean enabled;

  /** Decrypts JWEs addressed to {@code keys}. */
  public JweUnwrapper(DecryptionKeys keys) {
    this(keys, true);
  }

  private JweUnwrapper(DecryptionKeys keys, boolean enabled) {
    this.keys = keys;
    this.enabled = enabled;
  }

  /**
   * Decrypts nothing and passes every token through, so a JWS-only verifier refuses a JWE as
   * {@link RejectionReason#ENCRYPTED_UNSUPPORTED}.
   */
  public static JweUnwrapper disabled() {
    return DISABLED;
  }

  /** True for a token shaped as a compact JWE: exactly five dot-separated parts. */
  public static boolean isCompactJwe(String token) {
    return token != null && count(token, '.') == 4;
  }

  /**
   * The inner compact JWS of {@code token} when it is a compact JWE; {@code token} itself
   * otherwise (null, blank and JWS tokens are the verifier's to judge).
   */
  public String unwrap(String token) throws TokenRejectedException {
    if (!enabled || !isCompactJwe(token)) {
      return token;
    }
    if (token.length() > TokenVerifier.MAX_TOKEN_CHARS) {
      throw new TokenRejectedException(RejectionReason.TOO_LARGE,
          "token larger than " + TokenVerifier.MAX_TOKEN_CHARS + " characters");
    }
    String[] parts = token.split("\\.", -1);
    for (String part : parts) {
      CanonicalCompactForm.requireBase64(part);
    }
    byte[] headerBytes = CanonicalCompactForm.decode(parts[0], "header");
    String[] names = {"encrypted key", "initialization vector", "ciphertext", "authentication tag"};
    for (int i = 1; i < parts.length; i++) {
      CanonicalCompactForm.decode(parts[i], names[i - 1]);
    }
    Map<String, Object> rawHeader = CanonicalCompactForm.jsonObject(headerBytes, "header");
    CanonicalCompactForm.checkCritical(rawHeader);
    checkAlgorithms(rawHeader);
    JWEObject jwe;
    try {
      jwe = JWEObject.parse(token);
    } catch (ParseException | RuntimeException e) {
      // Nimbus' header parser also fails unchecked on some attacker-made headers (10.10: a
      // NullPointerException for a missing enc); any failure to parse is a malformed token.
      throw new TokenRejectedException(RejectionReason.MALFORMED, "not a JWE");
    }
    JWEHeader header = jwe.getHeader();
    try {
      return decrypt(jwe, header);
    } catch (TokenRejectedException e) {
      throw e.withKid(header.getKeyID());
    }
  }

  private String decrypt(JWEObject jwe, JWEHeader header) throws TokenRejectedException {
    checkHeader(header);
    DecryptionKey key = keys.find(header.getKeyID()).orElseThrow(() ->
        new TokenRejectedException(RejectionReason.JWE_UNKNOWN_KID, "no keyset with this kid to decrypt with"));
    if (!key.algorithm().equals(header.getAlgorithm())) {
      throw new TokenRejectedException(RejectionReason.JWE_KEY_MISMATCH,
          "JWE alg " + header.getAlgorithm() + " is not the key's alg " + key.algorithm());
    }
    try {
      jwe.decrypt(key.decrypter());
    } catch (JOSEException | IllegalStateException | IllegalArgumentException e) {
      throw new TokenRejectedException(RejectionReason.JWE_UNDECRYPTABLE, "JWE does not decrypt");
    }
    String inner = new String(jwe.getPayload().toBytes(), StandardCharsets.UTF_8);
    if (isCompactJwe(inner)) {
      throw new TokenRejectedException(RejectionReason.JWE_UNSUPPORTED, "a JWE inside a JWE is refused");
    }
    return inner;
  }

  /**
   * alg and enc from the raw header, before Nimbus parses it: only the accepted algorithms ever
   * reach its parser and its cryptography.
   */
  private static void checkAlgorithms(Map<String, Object> header) throws TokenRejectedException {
    if (!(header.get("alg") instanceof String alg) || !(header.get("enc") instanceof String enc)) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "a JWE header names its alg and enc");
    }
    if (ALGORITHMS.stream().noneMatch(a -> a.getName().equals(alg))) {
      throw new TokenRejectedException(RejectionReason.JWE_UNSUPPORTED,
          "JWE alg " + LogSafe.value(alg) + " is not accepted");
    }
    if (!EncryptionMethod.A256GCM.getName().equals(enc)) {
      throw new TokenRejectedException(RejectionReason.JWE_UNSUPPORTED,
          "JWE enc " + LogSafe.value(enc) + " is not accepted");
    }
  }

  /** The one accepted header shape; what it names must be checked before any decryption. */
  private static void checkHeader(JWEHeader header) throws TokenRejectedException {
    if (header.getJWK() != null || header.getJWKURL() != null || header.getX509CertURL() != null
        || header.getX509CertChain() != null) {
      throw new TokenRejectedException(RejectionReason.EMBEDDED_KEY,
          "JWEs naming a key (jwk, jku, x5u, x5c) are refused");
    }
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      throw new TokenRejectedException(RejectionReason.JWE_UNSUPPORTED,
          "JWE alg " + LogSafe.value(String.valueOf(header.getAlgorithm())) + " is not accepted");
    }
    if (!EncryptionMethod.A256GCM.equals(header.getEncryptionMethod())) {
      throw new TokenRejectedException(RejectionReason.JWE_UNSUPPORTED,
          "JWE enc " + LogSafe.value(String.valueOf(header.getEncryptionMethod())) + " is not accepted");
    }
    if (header.getCompressionAlgorithm() != null) {
      throw new TokenRejectedException(RejectionReason.JWE_UNSUPPORTED, "compressed (zip) JWEs are refused");
    }
    if (header.getContentType() == null || !"JWT".equalsIgnoreCase(header.getContentType())) {
      throw new TokenRejectedException(RejectionReason.JWE_UNSUPPORTED, "JWE cty must be JWT");
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw new TokenRejectedException(RejectionReason.UNKNOWN_CRITICAL_HEADER, "unsupported critical header");
    }
    JOSEObjectType type = header.getType();
    if (type != null && !"JWT".equalsIgnoreCase(type.getType())) {
      throw new TokenRejectedException(RejectionReason.JWE_UNSUPPORTED, "JWE typ must be JWT when present");
    }
    if (header.getKeyID() == null) {
      throw new TokenRejectedException(RejectionReason.JWE_UNKNOWN_KID, "a JWE must name its key (kid)");
    }
  }

  private static int count(String text, char c) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }
}
