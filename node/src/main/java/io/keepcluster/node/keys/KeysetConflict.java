package io.keepcluster.node.keys;

/** The one wording of invariant 6, used wherever a NAME arrives with other key material. */
public final class KeysetConflict {

  private KeysetConflict() {}

  public static String message(String kid) {
    return "keyset " + kid + " already exists with different key material; a NAME never changes"
        + " keys, so these files are ignored (and never overwritten): use a new NAME";
  }
}
