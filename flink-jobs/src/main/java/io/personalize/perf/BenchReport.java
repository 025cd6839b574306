package io.personalize.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalize.connectors.format.OutputFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The benchmark's findings: each run's rate, the ratios of the job to the ceiling and to the
 * compute loop, where the job spends its time, its checkpoints and its state per user and per item;
 * with both input formats, each JSON run's rate over the same run's on Avro. The headline figures
 * (ratios, state, bottleneck) are of the runs on the first format.
 *
 * @param users distinct users in the stream
 * @param items distinct items in the stream
 * @param runs the ceiling and job runs, in the order they ran; a run on a format other than Avro
 *     has the format in its name ({@link Bench#suffix})
 * @param computeEventsPerSecond the engine's per-event steps in plain Java ({@link ComputeLoop})
 * @param bareSgdEventsPerSecond a bare biased-MF SGD step in plain Java
 * @param latency the full job's latency at half its measured rate, at the widest parallelism
 */
public record BenchReport(
    BenchSettings settings,
    long users,
    long items,
    List<Measured> runs,
    double computeEventsPerSecond,
    double bareSgdEventsPerSecond,
    LatencyReport latency,
    Instant finished) {

  /**
   * The tasks whose keyed state is per user, by the names the topology gives them: the per-user
   * models, the recommendation operator and the user sequences.
   */
  private static final List<String> PER_USER_TASKS =
      List.of("Personal models", "Recommendations (", "User sequences");

  /** The task whose keyed state is per item: the item graph's edge lists. */
  private static final String PER_ITEM_TASK = "Item graph (";

  Measured run(String name) {
    return runs.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
  }

  private int widest() {
    return settings.parallelisms().get(settings.parallelisms().size() - 1);
  }

  private String headline() {
    return Bench.suffix(settings.formats().get(0));
  }

  private Measured ceiling() {
    return run("ceiling p" + widest() + headline());
  }

  /** The full job's run, or the job's without recommendations when it ran alone. */
  private Measured job() {
    Measured full = run("job p" + widest() + headline());
    return full != null ? full : jobWithoutRecommendations();
  }

  private Measured jobWithoutRecommendations() {
    return run("job without recommendations p" + widest() + headline());
  }

  /** The format of a run, told by its name. */
  private OutputFormat format(Measured run) {
    return settings.formats().stream()
        .filter(f -> f != OutputFormat.AVRO && run.name().endsWith(Bench.suffix(f)))
        .findFirst()
        .orElse(OutputFormat.AVRO);
  }

  /** Where a run goes in bench.json: "ceiling", "job" or "jobWithoutRecommendations". */
  private static String kind(Measured run) {
    return run.name().startsWith("ceiling")
        ? "ceiling"
        : run.name().startsWith("job without") ? "jobWithoutRecommendations" : "job";
  }

  /**
   * Each run on Avro that was also made on JSON, with the JSON run's events per second over its
   * own; empty unless both formats ran.
   */
  public Map<Measured, Double> jsonOverAvro() {
    Map<Measured, Double> ratios = new LinkedHashMap<>();
    for (Measured avro : runs) {
      Measured json = run(avro.name() + Bench.suffix(OutputFormat.JSON));
      if (format(avro) == OutputFormat.AVRO && json != null) {
        ratios.put(avro, json.eventsPerSecond() / avro.eventsPerSecond());
      }
    }
    return ratios;
  }

  /**
   * Keyed (RocksDB) state bytes of the per-user tasks in the widest full job's last checkpoint, per
   * user: what grows with the users. Without the operator state of those tasks (the replicas of the
   * shared parameters and of the item graph, one per subtask, on the heap); the whole tasks' state
   * when the keyed part could not be read.
   */
  public double stateBytesPerUser() {
    Map<String, Long> keyed = job().keyedStateBytes();
    return keyed.isEmpty()
        ? checkpointBytesPerUser()
        : stateOf(keyed, PER_USER_TASKS) / (double) users;
  }

  /**
   * The per-user tasks' whole state in the same checkpoint (keyed and operator state), per user.
   */
  public double checkpointBytesPerUser() {
    return stateOf(job().stateBytes(), PER_USER_TASKS) / (double) users;
  }

  /**
   * Keyed state bytes of the per-user tasks in the canonical savepoint taken after the widest full
   * job's last checkpoint, per user: the live state, serialized and uncompressed; NaN when none was
   * taken.
   */
  public double liveStateBytesPerUser() {
    Map<String, Long> live = job().liveKeyedStateBytes();
    return live.isEmpty() ? Double.NaN : stateOf(live, PER_USER_TASKS) / (double) users;
  }

  /** State bytes of the item graph in the widest full job's last checkpoint, per item. */
  public double stateBytesPerItem() {
    return stateOf(job().stateBytes(), List.of(PER_ITEM_TASK)) / (double) items;
  }

  private static long stateOf(Map<String, Long> bytesByTask, List<String> names) {
    long sum = 0;
    for (Map.Entry<String, Long> task : bytesByTask.entrySet()) {
      if (names.stream().anyMatch(task.getKey()::contains)) {
        sum += task.getValue();
      }
    }
    return sum;
  }

  /** Prints the tables. */
  public void print(PrintStream out) {
    out.println();
    out.printf(
        "%,d events, %,d users, %,d items (Zipf %.2f, seed %d), input %s%s%n",
        settings.events(),
        users,
        items,
        settings.exponent(),
        settings.seed(),
        String.join(" and ", settings.formats().stream().map(OutputFormat::label).toList()),
        settings.warmUp() ? ", every run measured after a warm-up run" : "");
    out.printf(
        "%-36s %12s %9s %9s %10s %10s %6s %9s %10s %8s %8s %8s%n",
        "run",
        "events/s",
        "start s",
        "run s",
        "/ceiling",
        "/compute",
        "cores",
        "CPU us/ev",
        "GC max MB",
        "peak MB",
        "live MB",
        "RSS MB");
    for (Measured run : runs) {
      Measured ceiling = run("ceiling p" + run.parallelism() + Bench.suffix(format(run)));
      out.printf(
          "%-36s %,12.0f %9.1f %9.1f %10s %10s %6s %9s %10s %,8.0f %8s %8s%n",
          run.name(),
          run.eventsPerSecond(),
          run.startupSeconds(),
          run.seconds(),
          ceiling == null
              ? ""
              : String.format("%.3f", run.eventsPerSecond() / ceiling.eventsPerSecond()),
          run.name().startsWith("ceiling")
              ? ""
              : String.format("%.3f", run.eventsPerSecond() / computeEventsPerSecond),
          run.coresUsed() < 0 ? "" : String.format("%.2f", run.coresUsed()),
          run.cpuMicrosPerEvent() < 0 ? "" : String.format("%,.1f", run.cpuMicrosPerEvent()),
          megabytes(run.heap().afterGcMaxBytes()),
          run.heap().usedPeakBytes() / 1e6,
          megabytes(run.heap().liveAtEndBytes()),
          megabytes(run.heap().residentPeakBytes()));
    }
    out.printf(
        "heap of this JVM (max %,.0f MB) in each run: GC max, the most used after a collection;"
            + " peak, the most used; live, after a full collection at the end; RSS, the most"
            + " resident memory of the whole process (RocksDB's native memory too); cores and"
            + " CPU us/ev, this process's CPU time (the broker's and RocksDB's threads too) per"
            + " second of the run and per event%n",
        runs.get(0).heap().maxBytes() / 1e6);
    out.printf("%-36s %,12.0f%n", "compute (engine steps, 1 core)", computeEventsPerSecond);
    out.printf(
        "%-36s %,12.0f   compute / bare = %.2f x the time per event%n",
        "bare biased-MF SGD (1 core)",
        bareSgdEventsPerSecond,
        bareSgdEventsPerSecond / computeEventsPerSecond);
    for (Measured run : runs) {
      out.println();
      out.printf("%s: tasks (busy / back-pressured share of the busiest subtask)%n", run.name());
      for (Measured.Vertex v : run.vertices()) {
        out.printf(
            "  %5.1f%% %5.1f%%  p%d %s%n",
            100 * v.busy(), 100 * v.backPressured(), v.parallelism(), v.name());
      }
      Measured.Checkpoints c = run.checkpoints();
      out.printf(
          "  checkpoints: %d completed, mean %.0f ms, max %d ms, last %,d bytes%n",
          c.completed(), c.meanMillis(), c.maxMillis(), c.lastBytes());
      if (!run.stateBytes().isEmpty()) {
        out.println("  state at the end (full checkpoint), bytes by task:");
        run.stateBytes().forEach((task, bytes) -> out.printf("    %,14d  %s%n", bytes, task));
      }
      if (!run.keyedStateBytes().isEmpty()) {
        out.println("  of which keyed (RocksDB) state, bytes by task:");
        run.keyedStateBytes().forEach((task, bytes) -> out.printf("    %,14d  %s%n", bytes, task));
      }
      if (!run.liveStateBytes().isEmpty()) {
        out.println("  live state at the end (canonical savepoint, uncompressed), bytes by task:");
        run.liveStateBytes().forEach((task, bytes) -> out.printf("    %,14d  %s%n", bytes, task));
      }
    }
    out.println();
    out.printf(
        "job p%d / ceiling p%1$d: %.3f; without recommendations: %.3f; bottleneck: %s%n",
        widest(),
        job().eventsPerSecond() / ceiling().eventsPerSecond(),
        jobWithoutRecommendations().eventsPerSecond() / ceiling().eventsPerSecond(),
        job().bottleneck());
    if (cpuOverCeiling(job()) > 0) {
      out.printf(
          "CPU per event over the ceiling's: job p%d %.1f x, without recommendations %.1f x%n",
          widest(), cpuOverCeiling(job()), cpuOverCeiling(jobWithoutRecommendations()));
    }
    if (!jsonOverAvro().isEmpty()) {
      out.printf(
          "JSON / Avro input, events/s: %s%n",
          String.join(
              "; ",
              jsonOverAvro().entrySet().stream()
                  .map(e -> String.format("%s %.3f", e.getKey().name(), e.getValue()))
                  .toList()));
    }
    out.printf(
        "state: %,.0f bytes of keyed state per user (in a canonical savepoint: %,.0f; the per-user"
            + " tasks' whole checkpoint, replicas included: %,.0f), %,.0f bytes per item%n",
        stateBytesPerUser(),
        liveStateBytesPerUser(),
        checkpointBytesPerUser(),
        stateBytesPerItem());
    out.printf("latency at %,.0f events/s (p%d):%n", latency.eventsPerSecond(), widest());
    print(out, "to queryable state", latency.toQueryableState());
    print(out, "to a published list", latency.toPublishedList());
  }

  /** {@code bytes} in MB, blank when not measured (-1). */
  private static String megabytes(long bytes) {
    return bytes < 0 ? "" : String.format("%,.0f", bytes / 1e6);
  }

  private static void print(PrintStream out, String what, LatencyReport.Percentiles p) {
    out.printf(
        "  %-20s p50 %,d ms, p95 %,d ms, p99 %,d ms (%d sampled events, %d not seen)%n",
        what, p.p50Millis(), p.p95Millis(), p.p99Millis(), p.samples(), p.unseen());
  }

  /**
   * A run's CPU per event over the ceiling's at the widest parallelism; -1 when either was not
   * measured.
   */
  private double cpuOverCeiling(Measured run) {
    double ceilingMicros = ceiling().cpuMicrosPerEvent();
    return run.cpuMicrosPerEvent() > 0 && ceilingMicros > 0
        ? run.cpuMicrosPerEvent() / ceilingMicros
        : -1;
  }

  /** Writes {@code dir/bench.json}. */
  public Path writeJson(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("events", settings.events());
    root.put("users", users);
    root.put("items", items);
    root.put("zipfExponent", settings.exponent());
    root.put("seed", settings.seed());
    root.put("warmUp", settings.warmUp());
    root.put("finished", finished.toString());
    root.set(
        "inputFormats",
        json.valueToTree(settings.formats().stream().map(OutputFormat::label).toList()));
    // The first format's runs at the top, as before there was a choice; another's under its name.
    for (OutputFormat format : settings.formats()) {
      ObjectNode parent =
          format == settings.formats().get(0) ? root : root.putObject(format.label());
      ObjectNode ceiling = parent.putObject("ceiling");
      ceiling.put(
          "eventsPerSecond", run("ceiling p" + widest() + Bench.suffix(format)).eventsPerSecond());
      parent.putObject("job");
      parent.putObject("jobWithoutRecommendations");
      for (Measured run : runs) {
        if (format(run) == format) {
          parent
              .withObjectProperty(kind(run))
              .set("p" + run.parallelism(), json.valueToTree(runNode(run)));
          if (job() == jobWithoutRecommendations() && !kind(run).equals("ceiling")) {
            // recommend.enabled false: the job as configured is the one without them.
            parent
                .withObjectProperty("job")
                .set("p" + run.parallelism(), json.valueToTree(runNode(run)));
          }
        }
      }
    }
    ObjectNode compute = root.putObject("compute");
    compute.put("eventsPerSecond", computeEventsPerSecond);
    compute.put("bareSgdEventsPerSecond", bareSgdEventsPerSecond);
    compute.put("timePerEventOverBareSgd", bareSgdEventsPerSecond / computeEventsPerSecond);
    ObjectNode ratios = root.putObject("ratios");
    ratios.put("jobOverCeiling", job().eventsPerSecond() / ceiling().eventsPerSecond());
    ratios.put(
        "jobWithoutRecommendationsOverCeiling",
        jobWithoutRecommendations().eventsPerSecond() / ceiling().eventsPerSecond());
    ratios.put("jobOverCompute", job().eventsPerSecond() / computeEventsPerSecond);
    if (cpuOverCeiling(job()) > 0) {
      ratios.put("jobCpuPerEventOverCeiling", cpuOverCeiling(job()));
      ratios.put(
          "jobWithoutRecommendationsCpuPerEventOverCeiling",
          cpuOverCeiling(jobWithoutRecommendations()));
    }
    if (!jsonOverAvro().isEmpty()) {
      ObjectNode jsonOverAvro = ratios.putObject("jsonOverAvro");
      jsonOverAvro()
          .forEach(
              (avro, ratio) ->
                  jsonOverAvro.withObjectProperty(kind(avro)).put("p" + avro.parallelism(), ratio));
    }
    root.put("stateBytesPerUser", stateBytesPerUser());
    root.put("checkpointBytesPerUser", checkpointBytesPerUser());
    root.put("liveStateBytesPerUser", liveStateBytesPerUser());
    root.put("stateBytesPerItem", stateBytesPerItem());
    root.put("bottleneck", job().bottleneck());
    root.set("latency", json.valueToTree(latency));
    Files.createDirectories(dir);
    Path file = dir.resolve("bench.json");
    json.writeValue(file.toFile(), root);
    return file;
  }

  private static Map<String, Object> runNode(Measured run) {
    return Map.ofEntries(
        Map.entry("eventsPerSecond", run.eventsPerSecond()),
        Map.entry("startupSeconds", run.startupSeconds()),
        Map.entry("seconds", run.seconds()),
        Map.entry("vertices", run.vertices()),
        Map.entry("checkpoints", run.checkpoints()),
        Map.entry("counters", run.counters()),
        Map.entry("stateBytes", run.stateBytes()),
        Map.entry("liveStateBytes", run.liveStateBytes()),
        Map.entry("keyedStateBytes", run.keyedStateBytes()),
        Map.entry("liveKeyedStateBytes", run.liveKeyedStateBytes()),
        Map.entry("heapAfterGcMaxBytes", run.heap().afterGcMaxBytes()),
        Map.entry("heapUsedPeakBytes", run.heap().usedPeakBytes()),
        Map.entry("heapLiveAtEndBytes", run.heap().liveAtEndBytes()),
        Map.entry("heapMaxBytes", run.heap().maxBytes()),
        Map.entry("residentPeakBytes", run.heap().residentPeakBytes()),
        Map.entry("cpuSeconds", run.cpuSeconds()),
        Map.entry("coresUsed", run.coresUsed()),
        Map.entry("cpuMicrosPerEvent", run.cpuMicrosPerEvent()));
  }

  /**
   * Writes {@code dir/bench.png}: events per second of every Flink run; the compute loop, often two
   * orders of magnitude faster, is in the title rather than a bar that would flatten the others.
   */
  public Path writeChart(Path dir) throws IOException {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1000)
            .height(520)
            .title(
                String.format(
                    "personalize bench: %,d events, %,d users, %,d items",
                    settings.events(), users, items))
            .yAxisTitle("events per second")
            .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(20);
    List<String> names = new java.util.ArrayList<>();
    List<Double> rates = new java.util.ArrayList<>();
    for (Measured run : runs) {
      names.add(run.name());
      rates.add(run.eventsPerSecond());
    }
    chart.addSeries("events/s", names, rates);
    Files.createDirectories(dir);
    Path file = dir.resolve("bench.png");
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }
}
