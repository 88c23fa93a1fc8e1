package io.keepcluster.node.tokens;

import io.keepcluster.node.keys.VerifyingCredential;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tokens whose expensive checks (canonical form, header, signature, claim parsing, issuer,
 * audience) already passed, so a reused bearer skips them. Bounded and lock-free: a fixed array of
 * {@value #DEFAULT_SLOTS} slots indexed by a hash of the exact token text; a new entry overwrites
 * whatever held its slot, so the cache never holds more than its slot count whatever the traffic.
 *
 * <p>A hit is only a hint: the slot's token is compared in full (never trusted by hash), and
 * {@link TokenVerifier} re-runs every check that can change after the first verification (time,
 * logout, the key still being the same object in the current key ring or provider key set) before
 * it accepts one. An entry whose key changed is discarded at its next use; one whose token
 * expired too. Only compact JWS texts are stored: a JWE is decrypted on every use.
 *
 * <p>A token is stored on its second sighting only ({@link #admit}): the first one leaves a
 * 32-bit fingerprint in a separate array of ints. Under a stream of one-shot tokens (every client
 * logging in anew, or a load of distinct tokens) storing every miss replaced an entry per request;
 * entries then lived just long enough to be promoted and died in the old generation, and the
 * garbage collector took 18 % of the node's CPU (BENCHMARKS.md, 1b). A token used twice is
 * stored from its second use, so every reused token still hits from its third.
 */
final class VerifiedTokenCache {

  /** Default capacity: about 2.5 KB a token at most, so at most ~40 MB of heap when full. */
  static final int DEFAULT_SLOTS = 16_384;

  /**
   * One verified token and what vouched for it.
   *
   * @param key the verifying credential of the cluster's own key ring; null for a provider token
   * @param voucher a provider token's {@link ExternalIssuers#voucher}; null for the cluster's own
   */
  record Entry(String token, VerifiedToken verified, VerifyingCredential key, Object voucher) {}

  /** How many characters at the end of a token choose its slot. */
  static final int HASHED_CHARS = 24;

  private final AtomicReferenceArray<Entry> slots;
  /** Fingerprints of tokens seen once, by slot; 0 is "none". */
  private final AtomicIntegerArray seen;
  private final int mask;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  VerifiedTokenCache() {
    this(DEFAULT_SLOTS);
  }

  /** @param slots rounded up to a power of two */
  VerifiedTokenCache(int slots) {
    int size = Integer.highestOneBit(Math.max(2, slots - 1)) << 1;
    this.slots = new AtomicReferenceArray<>(size);
    this.seen = new AtomicIntegerArray(size);
    this.mask = size - 1;
  }

  /** The entry stored for exactly {@code token}, or null. Counts a hit or a miss. */
  Entry get(String token) {
    Entry entry = slots.get(index(token));
    if (entry != null && entry.token().equals(token)) {
      hits.increment();
      return entry;
    }
    misses.increment();
    return null;
  }

  /** Stores {@code entry} unconditionally (replacing what held its slot). */
  void put(Entry entry) {
    slots.set(index(entry.token()), entry);
  }

  /**
   * Stores {@code entry} if its token was seen before; otherwise only remembers its fingerprint.
   * A fingerprint shared by two tokens admits the second early, which costs nothing but a slot.
   *
   * @return whether the entry was stored
   */
  boolean admit(Entry entry) {
    int hash = hash(entry.token());
    int slot = hash & mask;
    int fingerprint = hash == 0 ? 1 : hash;
    if (seen.get(slot) == fingerprint) {
      seen.lazySet(slot, 0);
      slots.set(slot, entry);
      return true;
    }
    seen.lazySet(slot, fingerprint);
    return false;
  }

  /** Forgets {@code entry} unless its slot already holds another one. */
  void remove(Entry entry) {
    slots.compareAndSet(index(entry.token()), entry, null);
  }

  /** The ceiling on entries: the number of slots. */
  int capacity() {
    return slots.length();
  }

  /** How many slots hold an entry now (a scan; for tests and diagnostics only). */
  int size() {
    int used = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        used++;
      }
    }
    return used;
  }

  long hits() {
    return hits.sum();
  }

  long misses() {
    return misses.sum();
  }

  private int index(String token) {
    return hash(token) & mask;
  }

  private static int hash(String token) {
    // Hashes the last HASHED_CHARS characters only: the bearer is a new String per request, so
    // String.hashCode would walk all of it (about 600 characters) on every hit. The end of a JWS
    // is its signature, which differs between any two signed tokens; tokens sharing an ending
    // share a slot and only cost misses, since the whole token is compared before an entry is
    // used. The multiply spreads the bits over the slots.
    int h = 0;
    for (int i = Math.max(0, token.length() - HASHED_CHARS); i < token.length(); i++) {
      h = 31 * h + token.charAt(i);
    }
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
