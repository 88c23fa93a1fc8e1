package io.keepcluster.node.keys;

/** Where a verification key came from; reported by userinfo and health. */
public enum KeySource {
  /** The node's in-memory HS256 key, made at each start. */
  EPHEMERAL,
  /** A DRAPI keyset (four files) of this cluster. */
  KEYSET,
  /** An external identity provider. */
  PROVIDER;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
