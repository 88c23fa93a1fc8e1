package io.keepcluster.node.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Seals private key material for the Hazelcast maps: AES-256-GCM under a key derived with HKDF
 * (Bouncy Castle) from {@code KEEP_CLUSTER_SECRET}. Hazelcast open source has neither TLS nor
 * member authentication, so this is what keeps a private key unreadable and unforgeable in
 * transit and in other members' memory. The associated data binds a ciphertext to its purpose
 * (e.g. the kid and fingerprint), so a sealed key cannot be replayed under another name.
 */
public final class ClusterCipher {

  private static final byte[] SALT = "keepcluster/cluster-secret/v1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] INFO = "aes-256-gcm keyset sealing".getBytes(StandardCharsets.UTF_8);
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random;

  public ClusterCipher(String secret, SecureRandom random) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("a cluster secret is required");
    }
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(secret.getBytes(StandardCharsets.UTF_8), SALT, INFO));
    byte[] derived = new byte[32];
    hkdf.generateBytes(derived, 0, derived.length);
    this.key = new SecretKeySpec(derived, "AES");
    this.random = random;
  }

  /** {@code base64(nonce || ciphertext+tag)}. */
  public String seal(String plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
          .put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required by every Java 17 runtime", e);
    }
  }

  /**
   * Opens what {@link #seal} produced with the same secret and associated data.
   *
   * @throws SealException when the secret differs or the data was altered
   */
  public String open(String sealed, String associatedData) throws SealException {
    try {
      byte[] bytes = Base64.getDecoder().decode(sealed);
      if (bytes.length <= NONCE_BYTES) {
        throw new SealException("sealed value is too short");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new SealException("cannot open sealed value: wrong KEEP_CLUSTER_SECRET or altered data");
    }
  }

  /** A sealed value could not be opened. */
  public static final class SealException extends Exception {
    public SealException(String message) {
      super(message, null, false, false);
    }
  }
}
