package io.keepcluster.node.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals private key material for the Hazelcast maps: AES-256-GCM under the cluster key that
 * {@code ClusterSecret.deriveKey} stretches from {@code KEEP_CLUSTER_SECRET} with Argon2id. The
 * derivation stays outside this class because it is deliberately slow and runs once per start.
 * Hazelcast open source has neither TLS nor member authentication, so this is what keeps a
 * private key unreadable and unforgeable in transit and in other members' memory. The associated data binds a ciphertext to its purpose
 * (e.g. the kid and fingerprint), so a sealed key cannot be replayed under another name.
 */
public final class ClusterCipher {

  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random;

  /** {@code key} is the 32-byte derived cluster key; it is copied, so the caller may clear it. */
  public ClusterCipher(byte[] key, SecureRandom random) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the cluster key must be " + KEY_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(key, "AES");
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
