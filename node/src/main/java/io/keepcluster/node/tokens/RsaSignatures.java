package io.keepcluster.node.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.impl.RSASSA;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;

/**
 * RSA (RS* and PS*) signature checks with a {@link Signature} kept per thread, per key and
 * algorithm. Nimbus' {@link RSASSAVerifier} does the same checks but looks up a new
 * {@code Signature} and initialises it with the key on every token; a {@code Signature} returns to
 * its initialised state after each {@code verify}, so a thread can reuse it for the same key.
 * Algorithm names and PSS parameters are Nimbus' own ({@link RSASSA#getSignerAndVerifier}).
 *
 * <p>Each thread keeps at most {@value #SLOTS} of them, replaced in turn, so keys removed from
 * the key ring are dropped soon. Any failure leaves a fresh {@code Signature} for the next call.
 */
final class RsaSignatures {

  static final int SLOTS = 4;

  private record Slot(JWSAlgorithm algorithm, PublicKey key, Provider provider, Signature signature) {}

  private static final class Slots {
    final Slot[] slots = new Slot[SLOTS];
    int next;
  }

  private static final ThreadLocal<Slots> SLOTS_PER_THREAD = ThreadLocal.withInitial(Slots::new);

  private RsaSignatures() {}

  /** As {@code verifier.verify(header, input[0..length), signature)}, without its per-call setup. */
  static boolean verify(RSASSAVerifier verifier, JWSAlgorithm algorithm, byte[] input, int length,
      byte[] signature) {
    PublicKey key = verifier.getPublicKey();
    Provider provider = verifier.getJCAContext().getProvider();
    Slots mine = SLOTS_PER_THREAD.get();
    int index = find(mine, algorithm, key, provider);
    try {
      if (index < 0) {
        Signature fresh = RSASSA.getSignerAndVerifier(algorithm, provider);
        fresh.initVerify(key);
        index = mine.next;
        mine.next = (mine.next + 1) % SLOTS;
        mine.slots[index] = new Slot(algorithm, key, provider, fresh);
      }
      Signature check = mine.slots[index].signature();
      check.update(input, 0, length);
      return check.verify(signature);
    } catch (GeneralSecurityException | JOSEException | RuntimeException e) {
      // As Nimbus: an unusable key or a signature the provider cannot read is a signature that
      // does not verify. The Signature may be mid-way: never reuse it.
      if (index >= 0) {
        mine.slots[index] = null;
      }
      return false;
    }
  }

  private static int find(Slots mine, JWSAlgorithm algorithm, PublicKey key, Provider provider) {
    for (int i = 0; i < SLOTS; i++) {
      Slot slot = mine.slots[i];
      if (slot != null && slot.key() == key && slot.provider() == provider && slot.algorithm().equals(algorithm)) {
        return i;
      }
    }
    return -1;
  }
}
