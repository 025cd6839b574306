package io.personalize.cli;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.SharedData;
import io.personalize.demo.Demo;
import io.personalize.job.JobConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code personalize demo}: the main job on an embedded Kafka and a local Flink. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the streaming job end to end on this machine: an in-process Kafka broker, ml-100k",
      "from ../shared/data replayed into it (or generated data when absent), the job on a local",
      "Flink with RocksDB, the per-group prequential table, a queryable-state lookup, and",
      "DIR/summary.json plus DIR/chart.png in the evaluator's format."
    })
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      defaultValue = "out/demo",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--data",
      description =
          "A MovieLens directory or file, a data set name under shared/data, or 'generated' (default: ml-100k if present, else generated).")
  String data;

  @Option(
      names = "--parallelism",
      defaultValue = "2",
      description = "Parallelism of the keyed operators (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "170",
      description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--keep-running",
      description = "Keep the job and the broker up after the replay, for `personalize query`.")
  boolean keepRunning;

  @Override
  public Integer call() throws Exception {
    Dataset dataset = load();
    // Metrics every second: the table refreshes often and the end of the replay is seen at once.
    JobConfig config =
        JobConfig.defaults().withParallelism(parallelism).withMetricsIntervalMillis(1_000);
    new Demo(config, System.out, timeoutSeconds * 1000, keepRunning).run(dataset, out);
    return 0;
  }

  private Dataset load() {
    if (data == null) {
      if (SharedData.find("ml-100k").isPresent()) {
        return DataSets.load("ml-100k", 42, 0, 0, 0);
      }
      System.out.println("../shared/data/ml-100k not found: using generated data");
      data = "generated";
    }
    return DataSets.load(data, 42, 1000, 1500, 100_000);
  }
}
