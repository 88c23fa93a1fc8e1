package io.keepcluster.node.fuzz;

import java.util.Random;
import java.util.function.Function;
import org.opentest4j.AssertionFailedError;

/**
 * A small mutation fuzzer for JUnit: a fixed number of inputs per target, drawn from one seeded
 * {@link Random}, so a failure is replayed exactly with {@code -Dfuzz.seed=S}. Every build runs
 * {@code fuzz.tries} inputs per target (2000 by default, set in the parent POM); a long run is
 * {@code mvn -B verify -pl shared,node -am -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.tries=1000000}.
 *
 * <p>Why not a library: Jazzer resolves here but fuzzes only with {@code JAZZER_FUZZ=1}, one
 * {@code @FuzzTest} per JVM, through its native agent, so it gives no fixed budget inside
 * {@code mvn verify}; jqwik prints a notice at every run that its author does not want AI agents
 * to use it, and this project is maintained with AI agents. What the targets need (seeded
 * mutations, a budget, an exact replay) fits in this class.
 */
final class Fuzz {

  private Fuzz() {}

  /** Inputs per target: {@code -Dfuzz.tries}, else {@code defaultTries}. */
  static int tries(int defaultTries) {
    String value = System.getProperty("fuzz.tries", "");
    return value.isBlank() ? defaultTries : Integer.parseInt(value.trim());
  }

  /** {@code -Dfuzz.seed}, else a fresh seed (printed with any failure). */
  static long seed() {
    String value = System.getProperty("fuzz.seed", "");
    return value.isBlank() ? new Random().nextLong() : Long.parseLong(value.trim());
  }

  /** What a target does with one input; anything it lets escape is a finding. */
  interface Target<T> {
    void accept(T input) throws Exception;
  }

  /**
   * Feeds {@code tries} inputs from {@code generator} to {@code target}; the first input that
   * makes the target throw fails the test with the seed, the try number and the input.
   */
  static <T> int run(String name, int tries, Function<Random, T> generator, Target<T> target) {
    long seed = seed();
    Random random = new Random(seed);
    for (int i = 0; i < tries; i++) {
      T input = generator.apply(random);
      try {
        target.accept(input);
      } catch (Throwable t) {
        throw new AssertionFailedError(name + ": " + t + " at try " + i + " of seed " + seed
            + " (replay: -Dfuzz.seed=" + seed + ") on input: " + describe(input), t);
      }
    }
    return tries;
  }

  /** The input as Java-escaped text, cut to a readable length. */
  static String describe(Object input) {
    String text = String.valueOf(input);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 2000; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return "\"" + out + (text.length() > 2000 ? "...(" + text.length() + " chars)" : "") + "\"";
  }
}
