package io.keepcluster.node.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keepcluster.node.config.LockoutPolicy;
import io.keepcluster.node.testing.MutableClock;
import io.keepcluster.node.testing.TestNode;
import io.keepcluster.shared.users.UserRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The lockout rule: guesses are reserved before the check, so the limit holds under any concurrency. */
class LockoutRuleTest {

  private static final LockoutPolicy POLICY = new LockoutPolicy(5, Duration.ofMinutes(60));
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
  private final LocalLockouts lockouts = new LocalLockouts(POLICY, clock);

  @Test
  @DisplayName("30 parallel guesses get exactly 5 reservations, and the user is suspended after they fail")
  void parallelGuessesNeverExceedTheLimit() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(30);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> guesses = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        guesses.add(pool.submit(() -> {
          start.await();
          return lockouts.tryBegin("bob");
        }));
      }
      start.countDown();
      int admitted = 0;
      for (Future<Boolean> guess : guesses) {
        admitted += guess.get(10, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertEquals(5, admitted);
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < 5; i++) {
      lockouts.finish("bob", false);
    }
    assertTrue(lockouts.isLocked("bob"));
    assertFalse(lockouts.tryBegin("bob"), "no guess while suspended");
  }

  @Test
  @DisplayName("a success clears the failures before the limit")
  void successClears() {
    for (int i = 0; i < 4; i++) {
      assertTrue(lockouts.tryBegin("carol"));
      lockouts.finish("carol", false);
    }
    assertTrue(lockouts.tryBegin("carol"));
    lockouts.finish("carol", true);
    for (int i = 0; i < 4; i++) {
      assertTrue(lockouts.tryBegin("carol"), "the count started again");
      lockouts.finish("carol", false);
    }
    assertFalse(lockouts.isLocked("carol"));
  }

  @Test
  @DisplayName("the suspension ends after the policy's minutes, and a reservation never settled lapses after 30 s")
  void suspensionAndLostReservationsEnd() {
    for (int i = 0; i < 5; i++) {
      lockouts.tryBegin("dave");
      lockouts.finish("dave", false);
    }
    assertTrue(lockouts.isLocked("dave"));
    clock.advance(Duration.ofMinutes(60));
    assertFalse(lockouts.isLocked("dave"));
    assertTrue(lockouts.tryBegin("dave"));

    for (int i = 0; i < 4; i++) {
      assertTrue(lockouts.tryBegin("erin"), "reserved, never settled (its node died)");
    }
    assertTrue(lockouts.tryBegin("erin"));
    assertFalse(lockouts.tryBegin("erin"), "all five guesses in flight");
    clock.advance(Duration.ofSeconds(31));
    assertTrue(lockouts.tryBegin("erin"), "lost reservations lapsed");
  }

  @Test
  @DisplayName("failed attempts on a name nobody has yet do not lock the user created with that name later")
  void unknownNamesAreCountedApart() {
    Map<String, UserRecord> directory = new ConcurrentHashMap<>();
    LoginService logins = new LoginService(name -> Optional.ofNullable(directory.get(name)), TestNode.HASHER, lockouts);
    for (int i = 0; i < 5; i++) {
      assertEquals(LoginOutcome.Reason.UNKNOWN_USER, logins.authenticate("frank", "guess".toCharArray()).reason());
    }
    assertEquals(LoginOutcome.Reason.SUSPENDED, logins.authenticate("frank", "guess".toCharArray()).reason(),
        "an unknown name is suspended like a real one");
    directory.put("frank", new UserRecord("frank", "CN=Frank", null, UserRecord.DEFAULT_SCOPES,
        TestNode.HASHER.hash("Frank-pass-1".toCharArray())));

    assertEquals(LoginOutcome.Reason.OK, logins.authenticate("frank", "Frank-pass-1".toCharArray()).reason());
  }

  @Test
  @DisplayName("the grid form keeps every field, and the old two-field form still reads")
  void encodingRoundTrips() {
    FailedLogins state = new FailedLogins(3, Instant.ofEpochMilli(5_000), 2, Instant.ofEpochMilli(4_000));
    assertEquals(state, FailedLogins.decode(state.encode()));
    assertEquals(new FailedLogins(2, null, 0, null), FailedLogins.decode("2:0"));
  }
}
