package io.keepcluster.node.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What each kind of problem does to the node's health. */
class ProblemsTest {

  private final Problems problems = new Problems();

  @Test
  @DisplayName("only the node's own inability to work (secret, grid, config) makes it unready")
  void unreadyKinds() {
    Set<ProblemKind> unready = Arrays.stream(ProblemKind.values()).filter(ProblemKind::unready)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(ProblemKind.class)));
    assertEquals(EnumSet.of(ProblemKind.SECRET, ProblemKind.GRID, ProblemKind.CONFIG), unready);
  }

  @Test
  @DisplayName("an intruder elsewhere in the grid is listed but neither degrades nor unreadies this node")
  void intruderIsANotice() {
    problems.report(ProblemKind.INTRUDER, "cluster intruder 10.0.0.9:5701", "no admission");

    assertEquals(1, problems.all().size());
    assertFalse(problems.degraded());
    assertFalse(problems.unready());
  }

  @Test
  @DisplayName("a restarted keyset scanner degrades the node but leaves it ready")
  void scannerDegradesOnly() {
    problems.report(ProblemKind.KEYSET_SCANNER, "keyset-scanner", "restarted");

    assertTrue(problems.degraded());
    assertFalse(problems.unready());
  }

  @Test
  @DisplayName("a config the next start would refuse degrades the node and makes it unready until cleared")
  void configUnreadiesUntilCleared() {
    problems.report(ProblemKind.CONFIG, "config", "invalid config file 30-broken.json: invalid JSON");
    assertTrue(problems.degraded());
    assertTrue(problems.unready());

    problems.clear("config");
    assertFalse(problems.degraded());
    assertFalse(problems.unready());
  }

  @Test
  @DisplayName("problems are counted per kind, and a file reported again replaces its entry")
  void countsPerKind() {
    problems.report(ProblemKind.KEYSET_FILE, "A.json", "broken");
    problems.report(ProblemKind.KEYSET_FILE, "B.json", "broken");
    problems.report(ProblemKind.KEYSET_FILE, "B.json", "still broken");
    problems.report(ProblemKind.INTRUDER, "cluster intruder x", "no admission");

    assertEquals(2, problems.count(ProblemKind.KEYSET_FILE));
    assertEquals(1, problems.count(ProblemKind.INTRUDER));
    assertEquals(0, problems.count(ProblemKind.SECRET));
    assertEquals("still broken", problems.all().get(1).error());
  }

  @Test
  @DisplayName("every kind has a distinct name for /health and the gauge's kind tag")
  void distinctIds() {
    Set<String> ids = Arrays.stream(ProblemKind.values()).map(ProblemKind::id).collect(Collectors.toSet());
    assertEquals(ProblemKind.values().length, ids.size());
    assertTrue(ids.containsAll(Set.of("secret", "grid", "config", "keyset_file", "intruder", "publicUrl")), ids.toString());
  }
}
