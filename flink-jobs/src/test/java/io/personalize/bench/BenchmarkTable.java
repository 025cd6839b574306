package io.personalize.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.Locale;

/**
 * Prints a JMH JSON result file (as written by {@code -rf json}) as a Markdown table: benchmark,
 * parameters, score ± error, unit, and for {@code fullEvent} whether the per-event goal is met.
 * Used by {@code bin/benchmark}; {@code docs/benchmarks.md} carries its output.
 */
public final class BenchmarkTable {
  /** The goal for one event (predict, then learn) at k = 32: at most this many nanoseconds. */
  static final double GOAL_NANOS = 500;

  private BenchmarkTable() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: BenchmarkTable <jmh-result.json>");
      System.exit(2);
    }
    JsonNode results = new ObjectMapper().readTree(new File(args[0]));
    if (!results.isArray() || results.isEmpty()) {
      System.out.println("(no results in " + args[0] + ")");
      return;
    }
    JsonNode first = results.get(0);
    System.out.printf(
        Locale.ROOT,
        "JDK %s (%s), forks %d, warmup %d x %s, measurement %d x %s, threads %d%n%n",
        first.path("jdkVersion").asText(),
        first.path("vmName").asText(),
        first.path("forks").asInt(),
        first.path("warmupIterations").asInt(),
        first.path("warmupTime").asText(),
        first.path("measurementIterations").asInt(),
        first.path("measurementTime").asText(),
        first.path("threads").asInt());
    System.out.println("| benchmark | params | score | ± error (99.9%) | unit | goal ≤ 500 ns |");
    System.out.println("|---|---|---:|---:|---|---|");
    for (JsonNode result : results) {
      String name = result.path("benchmark").asText();
      String method = name.substring(name.lastIndexOf('.') + 1);
      StringBuilder params = new StringBuilder();
      result
          .path("params")
          .fields()
          .forEachRemaining(
              p ->
                  params
                      .append(params.length() == 0 ? "" : ", ")
                      .append(p.getKey().equals("factors") ? "k" : p.getKey())
                      .append(" = ")
                      .append(p.getValue().asText()));
      JsonNode metric = result.path("primaryMetric");
      double score = metric.path("score").asDouble();
      double error = metric.path("scoreError").asDouble(Double.NaN);
      String unit = metric.path("scoreUnit").asText();
      String goal = "";
      if (method.equals("fullEvent") && unit.equals("ns/op")) {
        goal = score + (Double.isNaN(error) ? 0 : error) <= GOAL_NANOS ? "met" : "NOT met";
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %.1f | %s | %s | %s |%n",
          method,
          params.length() == 0 ? "-" : params,
          score,
          Double.isNaN(error) ? "n/a" : String.format(Locale.ROOT, "%.1f", error),
          unit,
          goal);
    }
  }
}
