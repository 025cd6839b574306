package io.personalize.cli;

import io.personalize.job.config.PersonalizeOptions;
import io.personalize.perf.Flood;
import io.personalize.perf.FloodSettings;
import io.personalize.serving.config.SettingFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code personalize flood}: whether memory and state stay bounded under many one-event users. */
@Command(
    name = "flood",
    header = "Floods the job with one-event users: do memory and state stay bounded?",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Floods the job with one-event users: --users distinct users, one event each, --spacing"
          + " apart in event time, through an in-process Kafka into the job on a local Flink (RocksDB).",
      "At --samples evenly spaced points it takes a full GC and a checkpoint and prints the heap"
          + " used, the process's RSS, the checkpoint's full size, RocksDB's key estimate and the"
          + " operators' user counts; writes DIR/flood.json and DIR/flood.png. Set --users-idle-expiry"
          + " shorter than the flood's span (users x spacing) to see what the expiry bounds. The job's"
          + " settings are flags too (--recommend-enabled false: the job without recommendations)."
    })
public final class FloodCommand implements Callable<Integer> {
  final SettingFlags settings = new SettingFlags();

  @Option(
      names = "--users",
      defaultValue = "1000000",
      description = "One-event users (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--items",
      defaultValue = "10000",
      description = "Item ids drawn from, Zipf (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(
      names = "--zipf",
      defaultValue = "1.0",
      description = "Zipf exponent of the items (default: ${DEFAULT-VALUE}).")
  double exponent;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--spacing",
      defaultValue = "1s",
      description =
          "Event time between consecutive events, e.g. 1s, 500ms (default: ${DEFAULT-VALUE}).")
  String spacing;

  @Option(
      names = "--parallelism",
      defaultValue = "2",
      description = "The job's parallelism (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--samples",
      defaultValue = "20",
      description = "Measurements, evenly spaced in events (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--timeout-minutes",
      defaultValue = "60",
      description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  long timeoutMinutes;

  @Option(
      names = "--out",
      defaultValue = "out/flood",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Any setting or Flink option.")
  Map<String, String> properties;

  /** Adds a flag per job setting; called when the command line is built. */
  static void addSettingFlags(CommandLine flood) {
    FloodCommand command = flood.getCommand();
    command.settings.addTo(
        flood.getCommandSpec(),
        PersonalizeOptions.optionsExcept(
            PersonalizeOptions.BOOTSTRAP_SERVERS, PersonalizeOptions.PARALLELISM),
        PersonalizeOptions.PREFIX);
  }

  @Override
  public Integer call() throws Exception {
    OutputDirectory.create(out);
    FloodSettings flood =
        new FloodSettings(
            users,
            items,
            exponent,
            seed,
            TimeUtils.parseDuration(spacing),
            parallelism,
            samples,
            Duration.ofMinutes(timeoutMinutes),
            out);
    new Flood(flood, settings.configuration(null, properties), System.out).run();
    return 0;
  }
}
