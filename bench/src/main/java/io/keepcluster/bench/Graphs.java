package io.keepcluster.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * Draws the benchmark graphs of BENCHMARKS.md from the results the scripts append to
 * bench/results/*.csv, so a rerun of the scripts and one command refresh them:
 * {@code java -cp bench/target/keepcluster-bench.jar io.keepcluster.bench.Graphs [RESULTS_DIR] [OUT_DIR]}
 * (defaults {@code bench/results}, {@code docs/bench}). Each graph takes the newest row of each
 * case and says under it when, at which commit and under which load average those rows were
 * measured. A results file that does not exist yet is skipped with a line saying so.
 */
public final class Graphs {

  private static final int PANEL_WIDTH = 420;
  private static final int PANEL_HEIGHT = 340;
  private static final int FOOTER = 40;
  /** The issue's goal of 300 MB (10^6 bytes) in MiB, the unit the scripts report RSS in. */
  private static final double MB_300_IN_MIB = 300e6 / (1024 * 1024);
  private static final List<String> ALG_ORDER = List.of("RS256", "PS256", "ES256");
  private static final List<String> HTTP_CASES = List.of("hello", "unauthenticated", "stock", "reused", "fresh");
  private static final Map<String, String> HTTP_LABELS = Map.of("hello", "Vert.x hello", "unauthenticated",
      "KC unauth.", "stock", "stock JWTAuth", "reused", "KC reused", "fresh", "KC fresh");

  private Graphs() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path results = Path.of(args.length > 0 ? args[0] : "bench/results");
    Path out = Path.of(args.length > 1 ? args[1] : "docs/bench");
    Files.createDirectories(out);
    report(keysets(results.resolve("keysets-scale.csv")), out.resolve("keysets-scale.png"));
    report(cluster(results.resolve("cluster-scale.csv")), out.resolve("cluster-scale.png"));
    report(http(results.resolve("http-throughput.csv")), out.resolve("http-throughput.png"));
  }

  private record Figure(List<CategoryChart> panels, String footer) {}

  private static void report(Optional<Figure> figure, Path png) throws IOException {
    if (figure.isEmpty()) {
      System.out.println("skipped " + png + ": no results file for it yet");
      return;
    }
    write(figure.get(), png);
    System.out.println("wrote " + png);
  }

  /** Start time, idle RSS and idle CPU of one node against the number of keysets in its folder. */
  static Optional<Figure> keysets(Path csv) throws IOException {
    Optional<ResultsTable> read = ResultsTable.read(csv);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    ResultsTable table = read.get();
    Map<String, Map<String, String>> rows = sorted(table.latestBy(row -> row.get("keysets")));
    List<String> x = labels(rows.keySet());
    return Optional.of(new Figure(List.of(
        panel("Start to ready (s)", "keysets", x, Map.of("start", values(table, rows, "start_s")), 3, "goal < 3 s"),
        panel("Idle RSS (MiB)", "keysets", x, Map.of("RSS", values(table, rows, "idle_rss_mib")),
            MB_300_IN_MIB, "goal < 300 MB"),
        panel("Idle CPU (% of a core)", "keysets", x, Map.of("CPU", values(table, rows, "idle_cpu_pct")), 1,
            "goal < 1 %")),
        footer(csv, rows.values())));
  }

  /**
   * Formation time, idle CPU and RSS per node against the number of nodes on this machine. Rows
   * whose {@code node_jar} starts with "before" (a run of an older build) are drawn beside the
   * newest ones where they exist.
   */
  static Optional<Figure> cluster(Path csv) throws IOException {
    Optional<ResultsTable> read = ResultsTable.read(csv);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    ResultsTable table = read.get();
    Predicate<Map<String, String>> before = row -> row.getOrDefault("node_jar", "").startsWith("before");
    Map<String, Map<String, String>> rows = sorted(table.latestBy(row -> row.get("nodes"), before.negate()));
    Map<String, Map<String, String>> old = sorted(table.latestBy(row -> row.get("nodes"), before));
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    List<String> x = new ArrayList<>(rows.keySet());
    boolean compare = old.keySet().equals(rows.keySet());
    Map<String, List<Double>> formation = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    if (compare) {
      formation.put("before", values(table, old, "formation_s"));
      cpu.put("before (mean)", values(table, old, "idle_cpu_pct_mean"));
    }
    formation.put(compare ? "now" : "formation", values(table, rows, "formation_s"));
    cpu.put("now (mean)", values(table, rows, "idle_cpu_pct_mean"));
    cpu.put("now (max)", values(table, rows, "idle_cpu_pct_max"));
    Map<String, List<Double>> rss = new LinkedHashMap<>();
    rss.put("mean", values(table, rows, "idle_rss_mib_mean"));
    rss.put("max", values(table, rows, "idle_rss_mib_max"));
    List<Map<String, String>> shown = new ArrayList<>(rows.values());
    if (compare) {
      shown.addAll(old.values());
    }
    return Optional.of(new Figure(List.of(
        panel("Formation: start to all signing (s)", "nodes", x, formation, Double.NaN, null),
        panel("Idle CPU per node (% of a core)", "nodes", x, cpu, 1, "goal < 1 %"),
        panel("Idle RSS per node (MiB)", "nodes", x, rss, Double.NaN, null)),
        footer(csv, shown)));
  }

  /** Requests per second of each target, one panel per algorithm. */
  static Optional<Figure> http(Path csv) throws IOException {
    Optional<ResultsTable> read = ResultsTable.read(csv);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    ResultsTable table = read.get();
    Map<String, Map<String, String>> rows = table.latestBy(row -> row.get("case") + " " + row.get("alg"));
    Set<String> algs = new TreeSet<>(Comparator.comparing((String alg) -> ALG_ORDER.indexOf(alg) < 0
        ? ALG_ORDER.size() : ALG_ORDER.indexOf(alg)).thenComparing(Comparator.naturalOrder()));
    rows.values().forEach(row -> {
      if (!"-".equals(row.get("alg"))) {
        algs.add(row.get("alg"));
      }
    });
    Optional<Map<String, String>> hello = Optional.ofNullable(rows.get("hello -"));
    List<CategoryChart> panels = new ArrayList<>();
    for (String alg : algs) {
      List<String> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (String name : HTTP_CASES) {
        Map<String, String> row = "hello".equals(name) ? hello.orElse(null) : rows.get(name + " " + alg);
        if (row != null) {
          x.add(HTTP_LABELS.get(name));
          y.add(table.number(row, "rps") / 1000);
        }
      }
      CategoryChart chart = panel(alg + ": thousand requests/s", null, x, Map.of(alg, y), Double.NaN, null);
      chart.getStyler().setXAxisLabelRotation(30);
      chart.getStyler().setDecimalPattern("#,##0.0");
      panels.add(chart);
    }
    return panels.isEmpty() ? Optional.empty() : Optional.of(new Figure(panels, footer(csv, rows.values())));
  }

  private static CategoryChart panel(String title, String xTitle, List<String> x, Map<String, List<Double>> series,
      double goal, String goalLabel) {
    CategoryChart chart = new CategoryChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(title)
        .xAxisTitle(xTitle).build();
    CategoryStyler styler = chart.getStyler();
    styler.setLegendVisible(series.size() > 1);
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setLegendBorderColor(Color.WHITE);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotGridVerticalLinesVisible(false);
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    styler.setLabelsVisible(true);
    styler.setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    styler.setLabelsPosition(0.98);
    styler.setLabelsFontColorAutomaticEnabled(false);
    styler.setLabelsFontColor(Color.BLACK);
    styler.setAvailableSpaceFill(0.6);
    styler.setYAxisMin(0.0);
    styler.setDecimalPattern("#,##0.##");
    double top = 0;
    for (Map.Entry<String, List<Double>> s : series.entrySet()) {
      chart.addSeries(s.getKey(), x, s.getValue());
      top = Math.max(top, s.getValue().stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }
    if (!Double.isNaN(goal)) {
      // Room above the goal line and the tallest bar, so neither sits on the frame.
      styler.setYAxisMax(Math.max(top, goal) * 1.18);
      AnnotationLine line = new AnnotationLine(goal, false, false);
      chart.addAnnotation(line);
      styler.setAnnotationLineColor(new Color(200, 30, 30));
      styler.setAnnotationLineStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
          new float[] {6, 4}, 0));
      chart.addAnnotation(new AnnotationText(goalLabel, 115, PANEL_HEIGHT - 45, true));
      styler.setAnnotationTextFontColor(new Color(200, 30, 30));
    } else {
      styler.setYAxisMax(top * 1.15);
    }
    return chart;
  }

  private static void write(Figure figure, Path png) throws IOException {
    int width = PANEL_WIDTH * figure.panels().size();
    BufferedImage image = new BufferedImage(width, PANEL_HEIGHT + FOOTER, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, PANEL_HEIGHT + FOOTER);
    for (int i = 0; i < figure.panels().size(); i++) {
      Graphics2D panel = (Graphics2D) g.create(i * PANEL_WIDTH, 0, PANEL_WIDTH, PANEL_HEIGHT);
      figure.panels().get(i).paint(panel, PANEL_WIDTH, PANEL_HEIGHT);
      panel.dispose();
    }
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    int y = PANEL_HEIGHT + 14;
    for (String line : wrap(figure.footer(), g.getFontMetrics(), width - 20)) {
      g.drawString(line, 10, y);
      y += 14;
    }
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static List<String> wrap(String text, FontMetrics metrics, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && metrics.stringWidth(line + " " + word) > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  /** When, at which commit and under which load average the plotted rows were measured. */
  private static String footer(Path csv, Collection<Map<String, String>> rows) {
    Set<String> dates = new TreeSet<>();
    Set<String> commits = new TreeSet<>();
    List<Double> loads = new ArrayList<>();
    for (Map<String, String> row : rows) {
      dates.add(row.getOrDefault("utc", "?"));
      commits.add(row.getOrDefault("commit", "?"));
      try {
        loads.add(Double.parseDouble(row.getOrDefault("loadavg", "")));
      } catch (NumberFormatException e) {
        // a hand-entered row without a load average
      }
    }
    String load = loads.isEmpty() ? "?" : String.format("%.1f-%.1f",
        loads.stream().mapToDouble(Double::doubleValue).min().orElse(0),
        loads.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    String first = dates.isEmpty() ? "?" : dates.iterator().next();
    String last = dates.isEmpty() ? "?" : ((TreeSet<String>) dates).last();
    return "source " + csv.getFileName() + " (newest row per case); measured " + first
        + (first.equals(last) ? "" : " to " + last) + " UTC, commit " + String.join("/", commits)
        + ", load average " + load + "; 2-core machine, see BENCHMARKS.md";
  }

  private static Map<String, Map<String, String>> sorted(Map<String, Map<String, String>> byNumber) {
    Map<String, Map<String, String>> sorted = new LinkedHashMap<>();
    byNumber.keySet().stream().sorted((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)))
        .forEach(key -> sorted.put(key, byNumber.get(key)));
    return sorted;
  }

  private static List<String> labels(Collection<String> numbers) {
    return numbers.stream().map(n -> String.format("%,d", Long.parseLong(n))).toList();
  }

  private static List<Double> values(ResultsTable table, Map<String, Map<String, String>> rows, String column) {
    Function<Map<String, String>, Double> value = row -> table.number(row, column);
    return rows.values().stream().map(value).toList();
  }
}
