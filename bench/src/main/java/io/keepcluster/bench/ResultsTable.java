package io.keepcluster.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One bench/results/NAME.csv as the scripts write it (bench/scripts/results.py, Python's csv
 * module): a header row, then one row per measurement, oldest first. A field with a comma is
 * quoted, a quote inside it doubled; no field spans lines.
 */
final class ResultsTable {

  private final Path file;
  private final List<Map<String, String>> rows;

  private ResultsTable(Path file, List<Map<String, String>> rows) {
    this.file = file;
    this.rows = rows;
  }

  /** The table, or empty when the file does not exist yet (that graph is skipped). */
  static Optional<ResultsTable> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    String[] header = fields(lines.get(0));
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] values = fields(line);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], i < values.length ? values[i] : "");
      }
      rows.add(row);
    }
    return Optional.of(new ResultsTable(file, rows));
  }

  /** The newest row of each case, {@code key} naming the case, in the order cases first appear. */
  Map<String, Map<String, String>> latestBy(Function<Map<String, String>, String> key) {
    return latestBy(key, row -> true);
  }

  /** The same, among the rows {@code which} accepts. */
  Map<String, Map<String, String>> latestBy(Function<Map<String, String>, String> key,
      Predicate<Map<String, String>> which) {
    Map<String, Map<String, String>> latest = new LinkedHashMap<>();
    for (Map<String, String> row : rows) {
      if (which.test(row)) {
        latest.put(key.apply(row), row);
      }
    }
    return latest;
  }

  /** A number from a row; a missing or empty cell is an error naming the file and column. */
  double number(Map<String, String> row, String column) {
    String value = row.getOrDefault(column, "");
    try {
      return Double.parseDouble(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + ": column " + column + " is '" + value + "', not a number");
    }
  }

  Path file() {
    return file;
  }

  private static String[] fields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        field.append('"');
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields.toArray(String[]::new);
  }
}
