package io.personalize.perf;

import io.personalize.connectors.format.OutputFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code personalize bench} runs.
 *
 * @param events events in the generated stream
 * @param users distinct user ids drawn from (Zipf)
 * @param items distinct item ids drawn from (Zipf)
 * @param exponent the Zipf exponent of both
 * @param seed the generator's seed
 * @param parallelisms the job's and the ceiling's parallelisms, ascending; the job without
 *     recommendations runs at the last
 * @param formats the wire formats the stream is loaded into Kafka in, each to a topic of its own;
 *     every ceiling and job run is made once per format, the first giving the report's headline
 *     figures (latency, state, ratios to the ceiling)
 * @param timeout how long one run may take
 * @param out where the report goes
 * @param warmUp run every ceiling and job once, unmeasured, before the measured runs
 */
public record BenchSettings(
    int events,
    int users,
    int items,
    double exponent,
    long seed,
    List<Integer> parallelisms,
    List<OutputFormat> formats,
    Duration timeout,
    Path out,
    boolean warmUp) {
  public BenchSettings {
    if (events < 1 || users < 1 || items < 1) {
      throw new IllegalArgumentException("--events, --users and --items must be at least 1");
    }
    if (parallelisms.isEmpty() || parallelisms.stream().anyMatch(p -> p < 1)) {
      throw new IllegalArgumentException("parallelisms must be at least 1, got " + parallelisms);
    }
    parallelisms = parallelisms.stream().distinct().sorted().toList();
    if (formats.isEmpty()) {
      throw new IllegalArgumentException("no input format");
    }
    formats = formats.stream().distinct().toList();
  }

  /**
   * The formats of {@code --input-format}, in the order the runs are made: {@code avro}, {@code
   * json}, {@code both} (Avro, then JSON), or the two named in order with a comma ({@code
   * json,avro}: JSON first, so the order's weight can be measured).
   */
  public static List<OutputFormat> formats(String inputFormat) {
    String named = inputFormat.strip();
    if (named.equalsIgnoreCase("both")) {
      return List.of(OutputFormat.AVRO, OutputFormat.JSON);
    }
    try {
      List<OutputFormat> formats =
          java.util.Arrays.stream(named.split(",", -1))
              .map(String::strip)
              .map(OutputFormat::named)
              .toList();
      if (formats.stream().distinct().count() < formats.size()) {
        throw new IllegalArgumentException("a format named twice");
      }
      return formats;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--input-format is avro, json, both, avro,json or json,avro, not '" + inputFormat + "'");
    }
  }
}
