package io.personalize.cli;

import io.personalize.job.config.PersonalizeOptions;
import io.personalize.perf.Bench;
import io.personalize.perf.BenchSettings;
import io.personalize.perf.FlameGraphs;
import io.personalize.serving.config.SettingFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code personalize bench}: the job against what Flink and the hardware allow, in one run. */
@Command(
    name = "bench",
    header = "Measures the job side by side with its ceiling on this machine.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures the job side by side with its ceiling on this machine: generates one Zipf stream"
          + " (users and items), loads it into an in-process Kafka once, then runs on one local Flink"
          + " (RocksDB): the ceiling (Kafka source, keyBy user, a RocksDB count per user), the full job"
          + " at each parallelism, the job without recommendations at the largest, and the job's"
          + " per-event model steps in plain Java. Prints events/s, ratios, each task's busy and"
          + " back-pressured time, checkpoints and state per user; writes DIR/bench.json and"
          + " DIR/bench.png. The job's settings are flags too."
    })
public final class BenchCommand implements Callable<Integer> {
  final SettingFlags settings = new SettingFlags();

  @Option(
      names = "--events",
      defaultValue = "3000000",
      description = "Events (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(
      names = "--users",
      defaultValue = "100000",
      description = "User ids drawn from (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--items",
      defaultValue = "10000",
      description = "Item ids drawn from (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(
      names = "--zipf",
      defaultValue = "1.0",
      description = "Zipf exponent of users and items (default: ${DEFAULT-VALUE}).")
  double exponent;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--parallelism",
      defaultValue = "1,2",
      split = ",",
      description =
          "Parallelisms of the ceiling and the job (default: ${DEFAULT-VALUE}); the job without"
              + " recommendations runs at the largest.")
  List<Integer> parallelisms;

  @Option(
      names = "--input-format",
      defaultValue = "avro",
      description =
          "Wire format of the events in Kafka: avro, json, both or json,avro (default:"
              + " ${DEFAULT-VALUE}). With both (or avro,json), every ceiling and job run is made"
              + " on the Avro and then on the JSON copy of the same events, and the report adds"
              + " JSON / Avro of each; json,avro runs JSON first (and takes its headline figures"
              + " from JSON), to see how much the order weighs.")
  String inputFormat;

  @Option(
      names = "--timeout-minutes",
      defaultValue = "60",
      description = "Give up on a run after this long (default: ${DEFAULT-VALUE}).")
  long timeoutMinutes;

  @Option(
      names = "--out",
      defaultValue = "out/bench",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--warm-up",
      description =
          "Before the measured runs, make every ceiling and job run once, unmeasured (output"
              + " topics of their own), so that the measured ones run compiled code: in a"
              + " one-minute run the JIT compiler takes a fifth of the machine. About doubles"
              + " the time.")
  boolean warmUp;

  @Option(
      names = "--flame-graphs",
      arity = "0..1",
      fallbackValue = "cpu",
      paramLabel = "EVENT",
      description =
          "Profile the ceiling, job and compute runs with async-profiler (bundled, nothing to"
              + " install) and write a flame graph per run to DIR/flame-graphs/RUN.html (and its"
              + " stacks to RUN.collapsed), one tower per thread (Flink names task threads after"
              + " their operators). EVENT: cpu (the default), or wall for wall-clock time, on"
              + " the CPU or waiting (RUN-wall.html). Costs a few percent of every rate.")
  String flameGraphs;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description = "Any setting or Flink option, applied to every run of the job.")
  Map<String, String> properties;

  /** Adds a flag per job setting; called when the command line is built. */
  static void addSettingFlags(CommandLine bench) {
    BenchCommand command = bench.getCommand();
    command.settings.addTo(
        bench.getCommandSpec(),
        PersonalizeOptions.optionsExcept(
            PersonalizeOptions.BOOTSTRAP_SERVERS, PersonalizeOptions.PARALLELISM),
        PersonalizeOptions.PREFIX);
  }

  @Override
  public Integer call() throws Exception {
    OutputDirectory.create(out);
    BenchSettings bench =
        new BenchSettings(
            events,
            users,
            items,
            exponent,
            seed,
            parallelisms,
            BenchSettings.formats(inputFormat),
            Duration.ofMinutes(timeoutMinutes),
            out,
            warmUp);
    new Bench(bench, settings.configuration(null, properties), System.out)
        .flameGraphs(
            flameGraphs == null
                ? FlameGraphs.off()
                : FlameGraphs.into(
                    out.resolve("flame-graphs"), FlameGraphs.Event.named(flameGraphs), System.out))
        .run();
    return 0;
  }
}
