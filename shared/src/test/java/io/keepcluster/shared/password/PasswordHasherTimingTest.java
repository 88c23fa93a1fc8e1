package io.keepcluster.shared.password;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Prints what one hash costs with the production defaults, so the number in
 * {@link PasswordHashingParameters#defaults()} can be checked on any machine. It asserts nothing
 * about time: wall-clock assertions fail on busy CI machines and prove nothing.
 */
class PasswordHasherTimingTest {

  @Test
  @DisplayName("the cost of one hash with the default parameters is printed for the operator")
  void printDefaultCost() {
    PasswordHasher hasher = new PasswordHasher(PasswordHashingParameters.defaults());
    char[] password = "timing-probe".toCharArray();
    String stored = hasher.hash(password); // warm-up: JIT and first allocation
    hasher.hash(password);

    int rounds = 10;
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      stored = hasher.hash(password);
    }
    double hashMs = (System.nanoTime() - start) / 1e6 / rounds;

    start = System.nanoTime();
    boolean verified = true;
    for (int i = 0; i < rounds; i++) {
      verified &= hasher.verify(password, stored);
    }
    double verifyMs = (System.nanoTime() - start) / 1e6 / rounds;

    System.out.printf("argon2id %s: hash avg %.1f ms, verify avg %.1f ms over %d rounds%n",
        hasher.parameters(), hashMs, verifyMs, rounds);
    assertTrue(verified);
  }
}
