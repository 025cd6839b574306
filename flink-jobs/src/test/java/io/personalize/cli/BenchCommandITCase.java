package io.personalize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code personalize bench} end to end on a small stream: the in-process broker, the ceiling and
 * the job on a local cluster with RocksDB, on the stream in Avro and in JSON, the compute loop, and
 * the report a user reads.
 */
class BenchCommandITCase {
  @TempDir Path out;

  /**
   * Without the shadow modes only global and adaptive are scored: the bench used to wait for local
   * and mtl until its timeout and then fail ("not every event processed").
   */
  @Test
  void benchFinishesWithoutTheShadowModes() throws Exception {
    CommandOutput run =
        CommandOutput.execute(
            "bench",
            "--events",
            "1000",
            "--users",
            "100",
            "--items",
            "30",
            "--parallelism",
            "1",
            "--timeout-minutes",
            "2",
            "-D",
            "personalize.shadow-modes=false",
            "--out",
            out.resolve("no-shadows").toString());
    String text = run.text();
    assertThat(run.exit()).as(text).isZero();
    JsonNode bench =
        new ObjectMapper().readTree(out.resolve("no-shadows").resolve("bench.json").toFile());
    assertThat(bench.path("job").path("p1").path("eventsPerSecond").asDouble()).isPositive();
    assertThat(
            bench.path("jobWithoutRecommendations").path("p1").path("eventsPerSecond").asDouble())
        .isPositive();
  }

  @Test
  void benchWritesEveryMeasureTheReportPromises() throws Exception {
    CommandOutput run =
        CommandOutput.execute(
            "bench",
            "--events",
            "3000",
            "--users",
            "200",
            "--items",
            "60",
            "--parallelism",
            "1",
            "--input-format",
            "both",
            "--timeout-minutes",
            "4",
            "--warm-up",
            "--out",
            out.toString());
    String text = run.text();
    assertThat(run.exit()).as(text).isZero();
    // Every run once before the measured ones, on output topics of their own.
    assertThat(text)
        .contains(
            "warm-up ceiling p1 json:",
            "warm-up job p1:",
            "warm-up job without recommendations p1 json:")
        .contains("warm-up done");
    assertThat(text.indexOf("warm-up done")).isLessThan(text.indexOf("\nceiling p1:"));

    JsonNode bench = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
    assertThat(bench.path("events").asInt()).isEqualTo(3000);
    assertThat(bench.path("warmUp").asBoolean()).isTrue();
    assertThat(bench.path("users").asInt()).isBetween(100, 200);
    assertThat(bench.path("items").asInt()).isBetween(30, 60);
    double ceiling = bench.path("ceiling").path("eventsPerSecond").asDouble();
    double job = bench.path("job").path("p1").path("eventsPerSecond").asDouble();
    double ratingOnly =
        bench.path("jobWithoutRecommendations").path("p1").path("eventsPerSecond").asDouble();
    assertThat(ceiling).isPositive();
    assertThat(job).isPositive();
    assertThat(ratingOnly).isPositive();
    assertThat(bench.path("compute").path("eventsPerSecond").asDouble()).isPositive();
    assertThat(bench.path("compute").path("bareSgdEventsPerSecond").asDouble()).isPositive();
    assertThat(bench.path("ratios").path("jobOverCeiling").asDouble())
        .isCloseTo(job / ceiling, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(bench.path("stateBytesPerUser").asDouble())
        .as("the per-user tasks' keyed state in the final checkpoint, over users")
        .isPositive()
        .isLessThan(bench.path("checkpointBytesPerUser").asDouble());
    assertThat(bench.path("stateBytesPerItem").asDouble()).isPositive();
    assertThat(bench.path("bottleneck").asText()).isNotBlank().doesNotStartWith("Source");
    JsonNode vertices = bench.path("job").path("p1").path("vertices");
    assertThat(vertices.size()).isGreaterThan(5);
    double busiest = 0;
    for (JsonNode vertex : vertices) {
      busiest = Math.max(busiest, vertex.path("busy").asDouble());
    }
    assertThat(busiest).as("Flink's busy time of the tasks was read").isPositive();
    JsonNode fullJob = bench.path("job").path("p1");
    assertThat(fullJob.path("heapUsedPeakBytes").asLong())
        .as("this JVM's heap during the run")
        .isPositive()
        .isLessThanOrEqualTo(fullJob.path("heapMaxBytes").asLong());
    assertThat(fullJob.path("heapLiveAtEndBytes").asLong())
        .as("after a full collection at the end")
        .isPositive()
        .isLessThanOrEqualTo(fullJob.path("heapMaxBytes").asLong());
    int cores = Runtime.getRuntime().availableProcessors();
    for (JsonNode measured : List.of(bench.path("ceiling").path("p1"), fullJob)) {
      assertThat(measured.path("cpuMicrosPerEvent").asDouble())
          .as("this process's CPU time over the run, per event")
          .isPositive();
      // Each end is interpolated between samples 100 ms apart: a short run can read a little over.
      assertThat(measured.path("coresUsed").asDouble()).isPositive().isLessThan(cores * 1.5);
    }
    assertThat(bench.path("ratios").path("jobCpuPerEventOverCeiling").asDouble()).isPositive();
    JsonNode toState = bench.path("latency").path("toQueryableState");
    JsonNode toList = bench.path("latency").path("toPublishedList");
    assertThat(bench.path("latency").path("eventsPerSecond").asDouble())
        .as("half the full job's rate")
        .isCloseTo(job / 2, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(toState.path("samples").asInt())
        .as("sampled events seen in queryable state")
        .isPositive();
    assertThat(toState.path("p99Millis").asLong())
        .isGreaterThanOrEqualTo(toState.path("p50Millis").asLong())
        .isNotNegative();
    assertThat(toList.path("samples").asInt())
        .as("sampled events seen in a published list")
        .isPositive();
    JsonNode tail = bench.path("latency").path("queryableStateTail");
    assertThat(tail.path("slowDuringCollections").asInt(-1))
        .isBetween(0, tail.path("slow").asInt());
    assertThat(tail.path("collections").asInt(-1)).isNotNegative();
    assertThat(tail.path("longestCollectionMillis").asLong(-1)).isNotNegative();
    assertThat(tail.path("slowDuringNeither").asInt(-1)).isBetween(0, tail.path("slow").asInt());
    assertThat(toList.path("p99Millis").asLong())
        .isGreaterThanOrEqualTo(toList.path("p50Millis").asLong())
        .isNotNegative();
    assertThat(Files.size(out.resolve("bench.png"))).isPositive();
    assertThat(text)
        .contains("job p1 / ceiling p1:")
        .contains("bytes of keyed state per user")
        .contains("job counters: {lists-computed=")
        .contains("in flight while a garbage collection paused the JVM");

    // The same runs on the JSON copy of the stream, and their rates over Avro's.
    assertThat(bench.path("inputFormats").toString()).isEqualTo("[\"avro\",\"json\"]");
    JsonNode json = bench.path("json");
    double jsonJob = json.path("job").path("p1").path("eventsPerSecond").asDouble();
    assertThat(json.path("ceiling").path("eventsPerSecond").asDouble()).isPositive();
    assertThat(jsonJob).isPositive();
    assertThat(json.path("jobWithoutRecommendations").path("p1").path("eventsPerSecond").asDouble())
        .isPositive();
    assertThat(json.path("job").path("p1").path("vertices").size()).isEqualTo(vertices.size());
    JsonNode jsonOverAvro = bench.path("ratios").path("jsonOverAvro");
    assertThat(jsonOverAvro.path("job").path("p1").asDouble())
        .isCloseTo(jsonJob / job, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(jsonOverAvro.path("ceiling").path("p1").asDouble()).isPositive();
    assertThat(jsonOverAvro.path("jobWithoutRecommendations").path("p1").asDouble()).isPositive();
    assertThat(text)
        .contains("input avro and json")
        .contains("job p1 json")
        .contains("JSON / Avro input, events/s: ceiling p1 ");
  }
}
