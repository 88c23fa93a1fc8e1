package io.keepcluster.node.grid;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for every value put into the grid, under the key derived from the cluster secret.
 * Hazelcast open source has neither TLS nor member authentication, so this is what keeps records
 * unreadable and unforgeable for a member that does not hold the secret. A fresh 96-bit nonce per
 * record; the {@link RecordBinding} is the associated data.
 */
public final class RecordSeal {

  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random;

  public RecordSeal(byte[] key, SecureRandom random) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the grid key must be 32 bytes, got " + key.length);
    }
    this.key = new SecretKeySpec(Arrays.copyOf(key, KEY_BYTES), "AES");
    this.random = random;
  }

  /** {@code base64url(nonce || ciphertext || tag)}. */
  public String seal(RecordBinding binding, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(binding.associatedData());
      byte[] sealed = cipher.doFinal(plaintext);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required by every Java 17 runtime", e);
    }
  }

  /** Opens what {@link #seal} produced for the same binding, or says why it cannot. */
  public byte[] open(RecordBinding binding, String sealed) throws UnauthenticatedRecordException {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(sealed);
    } catch (IllegalArgumentException e) {
      throw new UnauthenticatedRecordException("not a sealed record (bad base64)");
    }
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new UnauthenticatedRecordException("not a sealed record (too short)");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      cipher.updateAAD(binding.associatedData());
      return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new UnauthenticatedRecordException(
          "does not authenticate (another cluster secret, or altered, moved or relabelled)");
    }
  }
}
