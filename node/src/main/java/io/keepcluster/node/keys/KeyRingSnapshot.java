package io.keepcluster.node.keys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of the keys a node uses at one moment: exactly one signer and the verifiers
 * by kid. Built by one writer and published whole, so readers never lock and never see half an
 * update.
 */
public final class KeyRingSnapshot {

  private final SigningCredential signer;
  private final Map<String, VerifyingCredential> verifiers;
  private final List<String> order;

  public KeyRingSnapshot(SigningCredential signer, List<VerifyingCredential> verifiers) {
    if (signer == null) {
      throw new IllegalArgumentException("a key ring always has a signer (at least the ephemeral key)");
    }
    Map<String, VerifyingCredential> byKid = new LinkedHashMap<>();
    for (VerifyingCredential verifier : verifiers) {
      if (byKid.putIfAbsent(verifier.kid(), verifier) != null) {
        throw new IllegalArgumentException("duplicate kid " + verifier.kid());
      }
    }
    if (!byKid.containsKey(signer.kid())) {
      throw new IllegalArgumentException("signer " + signer.kid() + " cannot verify its own tokens");
    }
    this.signer = signer;
    this.verifiers = Map.copyOf(byKid);
    this.order = List.copyOf(byKid.keySet());
  }

  public SigningCredential signer() {
    return signer;
  }

  public Optional<VerifyingCredential> verifier(String kid) {
    return kid == null ? Optional.empty() : Optional.ofNullable(verifiers.get(kid));
  }

  /** Verifiers in insertion order. */
  public List<VerifyingCredential> verifiers() {
    return order.stream().map(verifiers::get).toList();
  }
}
