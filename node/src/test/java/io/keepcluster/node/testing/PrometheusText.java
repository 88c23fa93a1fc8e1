package io.keepcluster.node.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4): {@code # HELP} and
 * {@code # TYPE} lines, and samples {@code name{label="value",...} number [timestamp]}. Anything
 * else (a label value with a bad escape, a missing quote, a value that is not a number, a sample
 * of a family with no TYPE) fails the parse, so a test using it also proves the output is valid.
 */
public final class PrometheusText {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {

    public String label(String key) {
      return labels.get(key);
    }
  }

  private final List<Sample> samples;
  private final Map<String, String> types;

  private PrometheusText(List<Sample> samples, Map<String, String> types) {
    this.samples = samples;
    this.types = types;
  }

  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      try {
        if (line.startsWith("# TYPE ")) {
          String[] parts = line.substring(7).split(" ");
          if (parts.length != 2 || !List.of("counter", "gauge", "histogram", "summary", "untyped")
              .contains(parts[1])) {
            throw new IllegalArgumentException("bad TYPE line");
          }
          if (types.put(requireName(parts[0]), parts[1]) != null) {
            throw new IllegalArgumentException("second TYPE for " + parts[0]);
          }
        } else if (line.startsWith("# HELP ")) {
          requireName(line.substring(7).split(" ", 2)[0]);
        } else if (line.startsWith("#")) {
          continue;
        } else {
          Sample sample = sample(line);
          if (family(sample.name(), types).isEmpty()) {
            throw new IllegalArgumentException("sample before its TYPE line");
          }
          samples.add(sample);
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + lineNo + ": " + e.getMessage() + ": " + line, e);
      }
    }
    return new PrometheusText(samples, types);
  }

  /** The family a sample belongs to: its own name, or the name without a histogram/summary suffix. */
  private static Optional<String> family(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return Optional.of(name);
    }
    for (String suffix : List.of("_bucket", "_count", "_sum", "_created")) {
      if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
        return Optional.of(name.substring(0, name.length() - suffix.length()));
      }
    }
    return Optional.empty();
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = requireName(line.substring(0, i));
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = requireName(line.substring(i, eq));
        if (line.charAt(eq + 1) != '"') {
          throw new IllegalArgumentException("label value not quoted");
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char next = line.charAt(++j);
            value.append(switch (next) {
              case '\\' -> '\\';
              case '"' -> '"';
              case 'n' -> '\n';
              default -> throw new IllegalArgumentException("bad escape \\" + next);
            });
          } else {
            value.append(c);
          }
        }
        if (labels.put(key, value.toString()) != null) {
          throw new IllegalArgumentException("label " + key + " twice");
        }
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        } else if (line.charAt(i) != '}') {
          throw new IllegalArgumentException("expected , or }");
        }
      }
      i++;
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new IllegalArgumentException("no value");
    }
    String[] rest = line.substring(i + 1).split(" ");
    if (rest.length > 2) {
      throw new IllegalArgumentException("trailing text");
    }
    if (rest.length == 2) {
      Long.parseLong(rest[1]);
    }
    return new Sample(name, labels, number(rest[0]));
  }

  private static double number(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  private static String requireName(String name) {
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException("bad metric or label name '" + name + "'");
    }
    return name;
  }

  public String type(String family) {
    return types.get(family);
  }

  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  public boolean hasPrefix(String prefix) {
    return samples.stream().anyMatch(s -> s.name().startsWith(prefix));
  }

  /** Samples of {@code name} whose labels include every entry of {@code labels}. */
  public List<Sample> samples(String name, Map<String, String> labels) {
    return samples(name).stream()
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
  }

  /** One histogram series: its buckets by upper bound, in order, with its count. */
  public record Histogram(List<Map.Entry<Double, Double>> buckets, double count, double sum) {}

  /**
   * The histogram {@code family} (e.g. {@code keepcluster_login_duration_seconds}) for the series
   * with exactly {@code labels} (besides {@code le}).
   */
  public Histogram histogram(String family, Map<String, String> labels) {
    if (!"histogram".equals(types.get(family))) {
      throw new AssertionError(family + " is not a histogram but " + types.get(family));
    }
    List<Map.Entry<Double, Double>> buckets = samples(family + "_bucket").stream()
        .filter(s -> withoutLe(s.labels()).equals(labels))
        .map(s -> Map.entry(number(s.label("le")), s.value()))
        .sorted(Map.Entry.comparingByKey())
        .collect(Collectors.toList());
    double count = single(family + "_count", labels);
    double sum = single(family + "_sum", labels);
    return new Histogram(buckets, count, sum);
  }

  private double single(String name, Map<String, String> labels) {
    List<Sample> found = samples(name).stream().filter(s -> s.labels().equals(labels)).toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples of " + name + labels);
    }
    return found.get(0).value();
  }

  private static Map<String, String> withoutLe(Map<String, String> labels) {
    Map<String, String> copy = new LinkedHashMap<>(labels);
    copy.remove("le");
    return copy;
  }
}
