package io.personalize.cli;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.SharedData;
import io.personalize.demo.Demo;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.serving.config.SettingFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code personalize demo}: the main job on an embedded Kafka and a local Flink. */
@Command(
    name = "demo",
    header =
        "Runs the whole engine on this machine: in-process Kafka, local Flink, a data set replayed.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the streaming job end to end on this machine: an in-process Kafka broker, ml-100k"
          + " from ../shared/data replayed into it (or generated data when absent), the job on a local"
          + " Flink with RocksDB, the per-group prequential table, and a queryable-state lookup.",
      "Everything listens on 127.0.0.1. Writes DIR/summary.json and DIR/chart.png (the"
          + " evaluator's format), DIR/throughput.json and DIR/endpoints.json (the addresses of Kafka,"
          + " the Flink REST API and the queryable-state proxy). The job's settings are flags too."
    })
public final class DemoCommand implements Callable<Integer> {
  final SettingFlags settings = new SettingFlags();

  @Option(
      names = "--out",
      defaultValue = "out/demo",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--data",
      description =
          "A MovieLens directory or file, a data set name under ../shared/data, or 'generated'"
              + " (default: ml-100k if present, else generated).")
  String data;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "170",
      description =
          "Give up when no event was scored for this long, the replay's own time aside"
              + " (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--keep-running",
      description = "Keep the job and the broker up after the replay, for `personalize query`.")
  boolean keepRunning;

  @Option(
      names = "--replay-rate",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Replay N events a second while the job runs (the job and the server start first; the"
              + " timeout counts from the replay's scheduled end). 0, the default: the whole data"
              + " set goes into Kafka before the job starts.")
  double replayRate;

  @Option(
      names = "--no-serve",
      description =
          "Don't start the recommendation server (endpoints.json then has no 'serve'; run"
              + " `personalize serve --endpoints DIR/endpoints.json` as a process of its own).")
  boolean noServe;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description = "Any setting or Flink option, e.g. -D rest.port=8082.")
  Map<String, String> properties;

  /** Adds a flag per job setting; called when the command line is built. */
  static void addSettingFlags(CommandLine demo) {
    DemoCommand command = demo.getCommand();
    command.settings.addTo(
        demo.getCommandSpec(),
        PersonalizeOptions.optionsExcept(PersonalizeOptions.BOOTSTRAP_SERVERS),
        PersonalizeOptions.PREFIX);
  }

  @Override
  public Integer call() throws Exception {
    OutputDirectory.create(out);
    Dataset dataset = load();
    Configuration conf = new Configuration();
    // Metrics every second: the table refreshes often and the end of the replay is seen at once.
    conf.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofSeconds(1));
    conf.addAll(settings.configuration(null, properties));
    JobConfig.from(conf); // an invalid setting fails here, naming it, before Kafka starts
    Demo demo =
        new Demo(conf, System.out, timeoutSeconds * 1000, keepRunning).replayRate(replayRate);
    if (noServe) {
      demo.withoutServer();
    }
    demo.run(dataset, out);
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
