package io.personalize.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.connectors.format.OutputFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The input formats of {@code bench} and how the report shows runs on two of them; each run's heap.
 */
class BenchReportTest {
  private static final Offset<Double> CLOSE = Offset.offset(1e-9);

  @TempDir Path dir;

  private static BenchSettings settings(List<OutputFormat> formats) {
    return new BenchSettings(
        1000, 100, 50, 1.0, 42, List.of(2), formats, Duration.ofMinutes(1), Path.of("out"), false);
  }

  /** A run of 1,000 events at {@code eventsPerSecond}, with one task and no state. */
  private static Measured run(String name, double eventsPerSecond) {
    return run(name, eventsPerSecond, 1.8);
  }

  /** The same, the process keeping {@code cores} busy meanwhile. */
  private static Measured run(String name, double eventsPerSecond, double cores) {
    return new Measured(
        name,
        2,
        1000,
        1.0,
        1000 / eventsPerSecond,
        List.of(new Measured.Vertex("Personal models", 2, 0.9, 0.0)),
        new Measured.Checkpoints(0, 0, 0, 0),
        Map.of(),
        Map.of("Personal models", 5000L),
        Map.of("Personal models", 3000L),
        Map.of("Personal models", 4000L),
        Map.of("Personal models", 2500L),
        new Measured.Heap(200_000_000, 600_000_000, 150_000_000, 4_000_000_000L, 900_000_000),
        cores * 1000 / eventsPerSecond);
  }

  /** What {@link BenchReport#print} prints. */
  private static String printed(BenchReport report) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
    return printed.toString(StandardCharsets.UTF_8);
  }

  private static BenchReport report(List<OutputFormat> formats, List<Measured> runs) {
    LatencyReport.Percentiles none = new LatencyReport.Percentiles(0, 0, -1, -1, -1);
    return new BenchReport(
        settings(formats),
        100,
        50,
        runs,
        50_000,
        1e6,
        new LatencyReport(1, none, none, null),
        Instant.EPOCH);
  }

  @Test
  void inputFormatIsAvroJsonBothOrTheTwoInOrder() {
    assertThat(BenchSettings.formats("avro")).containsExactly(OutputFormat.AVRO);
    assertThat(BenchSettings.formats("JSON")).containsExactly(OutputFormat.JSON);
    assertThat(BenchSettings.formats("both")).containsExactly(OutputFormat.AVRO, OutputFormat.JSON);
    assertThat(BenchSettings.formats("json, avro"))
        .as("named in order, JSON first")
        .containsExactly(OutputFormat.JSON, OutputFormat.AVRO);
    assertThat(BenchSettings.formats("avro,json"))
        .containsExactly(OutputFormat.AVRO, OutputFormat.JSON);
    for (String bad : List.of("xml", "json,json", "avro,", "avro,xml")) {
      assertThatThrownBy(() -> BenchSettings.formats(bad))
          .hasMessage(
              "--input-format is avro, json, both, avro,json or json,avro, not '" + bad + "'");
    }
    assertThat(Bench.topic(OutputFormat.AVRO)).isEqualTo(Bench.TOPIC);
    assertThat(Bench.topic(OutputFormat.JSON)).isEqualTo(Bench.TOPIC + "-json");
  }

  @Test
  void bothFormatsGiveEachJsonRunOverTheSameRunOnAvro() throws Exception {
    BenchReport report =
        report(
            BenchSettings.formats("both"),
            List.of(
                run("ceiling p2", 40_000),
                run("ceiling p2 json", 30_000),
                run("job p2", 800),
                run("job p2 json", 780),
                run("job without recommendations p2", 10_000),
                run("job without recommendations p2 json", 8_000)));

    String text = printed(report);
    assertThat(text)
        .contains("input avro and json")
        .contains("job p2 / ceiling p2: 0.020")
        .contains(
            "JSON / Avro input, events/s: ceiling p2 0.750; job p2 0.975; job without"
                + " recommendations p2 0.800");
    assertThat(text.lines())
        .as("a JSON run's share of the JSON ceiling")
        .anyMatch(line -> line.startsWith("job p2 json ") && line.contains("0.026"));

    JsonNode json = new ObjectMapper().readTree(report.writeJson(dir).toFile());
    assertThat(json.path("ceiling").path("eventsPerSecond").asDouble()).isCloseTo(40_000, CLOSE);
    assertThat(json.path("job").path("p2").path("eventsPerSecond").asDouble())
        .isCloseTo(800, CLOSE);
    assertThat(json.path("json").path("ceiling").path("eventsPerSecond").asDouble())
        .isCloseTo(30_000, CLOSE);
    assertThat(json.path("json").path("job").path("p2").path("eventsPerSecond").asDouble())
        .isCloseTo(780, CLOSE);
    // 5,000 bytes of per-user tasks' state in the checkpoint (4,000 keyed), 3,000 in the savepoint
    // (2,500 keyed), over 100 users: the keyed state per user, and the whole checkpoint apart.
    assertThat(json.path("stateBytesPerUser").asDouble()).isCloseTo(40, CLOSE);
    assertThat(json.path("checkpointBytesPerUser").asDouble()).isCloseTo(50, CLOSE);
    assertThat(json.path("liveStateBytesPerUser").asDouble()).isCloseTo(25, CLOSE);
    assertThat(text)
        .contains(
            "state: 40 bytes of keyed state per user (in a canonical savepoint: 25; the per-user"
                + " tasks' whole checkpoint, replicas included: 50)");
    JsonNode ratios = json.path("ratios");
    assertThat(ratios.path("jobOverCeiling").asDouble()).isCloseTo(0.02, CLOSE);
    assertThat(ratios.path("jsonOverAvro").path("job").path("p2").asDouble())
        .isCloseTo(0.975, CLOSE);
    assertThat(ratios.path("jsonOverAvro").path("ceiling").path("p2").asDouble())
        .isCloseTo(0.75, CLOSE);
    assertThat(ratios.path("jsonOverAvro").path("jobWithoutRecommendations").path("p2").asDouble())
        .isCloseTo(0.8, CLOSE);
  }

  @Test
  void oneFormatKeepsTheReportAsItWasWithItsFormatNamed() throws Exception {
    BenchReport report =
        report(
            BenchSettings.formats("json"),
            List.of(
                run("ceiling p2 json", 30_000),
                run("job p2 json", 780),
                run("job without recommendations p2 json", 7_800)));

    assertThat(report.jsonOverAvro()).isEmpty();
    JsonNode json = new ObjectMapper().readTree(report.writeJson(dir).toFile());
    assertThat(json.path("inputFormats").toString()).isEqualTo("[\"json\"]");
    assertThat(json.path("job").path("p2").path("eventsPerSecond").asDouble())
        .isCloseTo(780, CLOSE);
    assertThat(json.path("ratios").path("jobWithoutRecommendationsOverCeiling").asDouble())
        .isCloseTo(0.26, CLOSE);
    assertThat(json.has("json")).isFalse();
    assertThat(json.path("ratios").has("jsonOverAvro")).isFalse();
  }

  @Test
  void cpuPerEventComparesRunsByTheProcessorTimeEachTook() throws Exception {
    // The ceiling at 40,000 events/s on one core: 25 us of CPU an event; the job at 800 on two:
    // 2,500 us, 100 times the ceiling's, where its rate is 50 times lower.
    BenchReport report =
        report(
            BenchSettings.formats("avro"),
            List.of(
                run("ceiling p2", 40_000, 1.0),
                run("job p2", 800, 2.0),
                run("job without recommendations p2", 10_000, 1.5)));

    String text = printed(report);
    assertThat(text)
        .contains(
            "CPU per event over the ceiling's: job p2 100.0 x, without recommendations 6.0 x");
    assertThat(text.lines())
        .anyMatch(
            line ->
                line.startsWith("job p2 ")
                    && line.contains(" 2.00 ")
                    && line.contains(" 2,500.0 "));
    JsonNode json = new ObjectMapper().readTree(report.writeJson(dir).toFile());
    assertThat(json.path("job").path("p2").path("coresUsed").asDouble()).isCloseTo(2.0, CLOSE);
    assertThat(json.path("job").path("p2").path("cpuMicrosPerEvent").asDouble())
        .isCloseTo(2_500, CLOSE);
    assertThat(json.path("ratios").path("jobCpuPerEventOverCeiling").asDouble())
        .isCloseTo(100, CLOSE);
    assertThat(
            json.path("ratios").path("jobWithoutRecommendationsCpuPerEventOverCeiling").asDouble())
        .isCloseTo(6, CLOSE);
  }

  @Test
  void unmeasuredCpuLeavesItsColumnsAndRatiosOut() throws Exception {
    BenchReport report =
        report(
            BenchSettings.formats("avro"),
            List.of(
                run("ceiling p2", 40_000, -1), run("job without recommendations p2", 9_000, -1)));

    assertThat(printed(report)).doesNotContain("CPU per event over");
    JsonNode json = new ObjectMapper().readTree(report.writeJson(dir).toFile());
    assertThat(json.path("ratios").has("jobCpuPerEventOverCeiling")).isFalse();
    assertThat(json.path("job").path("p2").path("cpuMicrosPerEvent").asDouble()).isEqualTo(-1);
  }

  @Test
  void withRecommendationsOffTheJobIsTheOneWithoutThem() throws Exception {
    // recommend.enabled false: no run of the full job; the job's figures are that run's.
    BenchReport report =
        report(
            BenchSettings.formats("avro"),
            List.of(run("ceiling p2", 30_000), run("job without recommendations p2", 9_000)));

    JsonNode json = new ObjectMapper().readTree(report.writeJson(dir).toFile());
    assertThat(json.path("job").path("p2").path("eventsPerSecond").asDouble())
        .isCloseTo(9_000, CLOSE);
    assertThat(json.path("jobWithoutRecommendations").path("p2").path("eventsPerSecond").asDouble())
        .isCloseTo(9_000, CLOSE);
    assertThat(json.path("ratios").path("jobOverCeiling").asDouble()).isCloseTo(0.3, CLOSE);
    assertThat(json.path("stateBytesPerUser").asDouble()).isPositive();
  }

  @Test
  void eachRunHasTheHeapItUsed() throws Exception {
    Measured noCollection =
        new Measured(
            "ceiling p2",
            2,
            1000,
            1.0,
            0.025,
            List.of(),
            new Measured.Checkpoints(0, 0, 0, 0),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            new Measured.Heap(-1, 300_000_000, -1, 4_000_000_000L, -1),
            -1);
    BenchReport report =
        report(
            BenchSettings.formats("avro"),
            List.of(
                noCollection, run("job p2", 800), run("job without recommendations p2", 10_000)));

    JsonNode json = new ObjectMapper().readTree(report.writeJson(dir).toFile());
    JsonNode job = json.path("job").path("p2");
    assertThat(job.path("heapAfterGcMaxBytes").asLong()).isEqualTo(200_000_000);
    assertThat(job.path("heapUsedPeakBytes").asLong()).isEqualTo(600_000_000);
    assertThat(job.path("heapLiveAtEndBytes").asLong()).isEqualTo(150_000_000);
    assertThat(job.path("heapMaxBytes").asLong()).isEqualTo(4_000_000_000L);
    assertThat(job.path("residentPeakBytes").asLong()).isEqualTo(900_000_000);
    assertThat(json.path("jobWithoutRecommendations").path("p2").path("heapUsedPeakBytes").asLong())
        .isEqualTo(600_000_000);
    JsonNode ceiling = json.path("ceiling").path("p2");
    assertThat(ceiling.path("heapAfterGcMaxBytes").asLong()).as("no collection").isEqualTo(-1);
    assertThat(ceiling.path("heapUsedPeakBytes").asLong()).isEqualTo(300_000_000);
    assertThat(ceiling.path("heapLiveAtEndBytes").asLong()).isEqualTo(-1);
    assertThat(ceiling.path("residentPeakBytes").asLong()).as("not told").isEqualTo(-1);

    List<String> lines = printed(report).lines().toList();
    assertThat(lines).anyMatch(line -> line.matches(".*GC max MB +peak MB +live MB +RSS MB"));
    assertThat(lines)
        .anyMatch(line -> line.startsWith("job p2 ") && line.matches(".* 200 +600 +150 +900"));
    assertThat(lines)
        .as("no heap after a collection when none ran, none at the end when not measured")
        .anyMatch(line -> line.startsWith("ceiling p2 ") && line.matches(".* 1\\.000 {25,}300 +"));
    assertThat(lines).anyMatch(line -> line.contains("max 4,000 MB"));
  }
}
