package io.keepcluster.node.keys;

import java.util.Optional;

/**
 * The JWE recipient keys this node holds, by kid: every keyset in the {@link KeysetRegistry}
 * (signing, verifying or retiring; a revoked keyset is forgotten at once). Never the ephemeral
 * HS256 key, and never part of the {@link KeyRingSnapshot}, which holds only what signature
 * verification needs: public keys.
 */
@FunctionalInterface
public interface DecryptionKeys {

  /** Nothing can be decrypted (JWS-only verifiers: benchmarks, unit tests). */
  DecryptionKeys NONE = kid -> Optional.empty();

  Optional<DecryptionKey> find(String kid);
}
