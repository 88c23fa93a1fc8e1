package io.keepcluster.shared.password;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Argon2's working memory is reused per thread: after the first hash on a thread, the next ones
 * allocate a small fraction of m (measured with the JVM's per-thread allocation counter, never
 * with a clock).
 */
class PasswordHasherMemoryTest {

  private static final PasswordHashingParameters PARAMETERS = new PasswordHashingParameters(8_192, 1, 1);
  private static final long WORKING_MEMORY = 8_192L * 1024;

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  @DisplayName("the second and later hashes on a thread reuse its Argon2 memory instead of allocating m again")
  void workingMemoryIsReused() {
    PasswordHasher hasher = new PasswordHasher(PARAMETERS);
    String stored = hasher.hash("first".toCharArray());

    long before = allocatedByThisThread();
    for (int i = 0; i < 5; i++) {
      assertTrue(hasher.verify("first".toCharArray(), stored));
    }
    long perHash = (allocatedByThisThread() - before) / 5;

    assertTrue(perHash < WORKING_MEMORY / 4,
        "a reused hash allocated " + perHash + " bytes; the working memory is " + WORKING_MEMORY);
  }

  @Test
  @DisplayName("hashes made on several threads with pooled memory still verify everywhere, and wrong passwords still fail")
  void pooledHashesStayCorrect() throws Exception {
    PasswordHasher hasher = new PasswordHasher(PARAMETERS);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      String a = threads.submit(() -> hasher.hash("alpha".toCharArray())).get();
      String b = threads.submit(() -> hasher.hash("beta".toCharArray())).get();
      for (int i = 0; i < 3; i++) {
        assertTrue(threads.submit(() -> hasher.verify("alpha".toCharArray(), a)).get());
        assertTrue(threads.submit(() -> hasher.verify("beta".toCharArray(), b)).get());
        assertFalse(threads.submit(() -> hasher.verify("beta".toCharArray(), a)).get());
      }
      assertTrue(hasher.verify("alpha".toCharArray(), a));
    } finally {
      threads.shutdownNow();
    }
  }
}
