package io.personalize.cli;

import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.data.MovieLensReader;
import io.personalize.connectors.kafka.InteractionProducer;
import io.personalize.connectors.kafka.KafkaReachability;
import io.personalize.job.JobRunner;
import io.personalize.job.PipelineSettings;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.serving.config.SettingFlags;
import io.personalize.state.QueryableStateNames;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code personalize run}: the job against an existing Kafka cluster, on the execution environment
 * of the context: a local Flink when started from this command line, the cluster when the jar is
 * submitted with {@code flink run}. Every setting of {@link PersonalizeOptions} is a flag; any
 * Flink option can be given with {@code -D} or a config file. Locally, checkpoints go to {@code
 * out/checkpoints} unless configured, and a new run resumes from the newest one there.
 */
@Command(
    name = "run",
    header = "Runs the streaming job against an existing Kafka cluster.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the streaming job against an existing Kafka cluster. Every setting below is also a",
      "Flink option (personalize.<name>), so -D, a Flink config file or `flink run` take it too;",
      "docs/configuration.md has the table."
    })
public final class RunCommand implements Callable<Integer> {
  /** Where local runs keep their checkpoints unless execution.checkpointing.dir is set. */
  static final Path DEFAULT_CHECKPOINT_DIR = Path.of("out", "checkpoints");

  final SettingFlags settings = new SettingFlags();

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description = "Any setting or Flink option, e.g. -D execution.checkpointing.interval=30s.")
  Map<String, String> properties;

  @Option(
      names = "--config-file",
      paramLabel = "FILE",
      description = "A Flink config file (config.yaml syntax) with settings and Flink options.")
  Path configFile;

  @Option(
      names = "--items-file",
      paramLabel = "PATH",
      description =
          "A MovieLens directory or ratings file whose item file (u.item, movies.dat, movies.csv)"
              + " is loaded as item metadata, beside the items topic.")
  Path itemsFile;

  @Option(
      names = "--no-resume",
      description =
          "Locally: start fresh instead of resuming from the newest checkpoint in the"
              + " checkpoint directory.")
  boolean noResume;

  @Option(
      names = "--dry-run",
      description = "Print the effective settings and the job's plan, and do not start it.")
  boolean dryRun;

  /** Adds a flag per job setting; called when the command line is built. */
  static void addSettingFlags(CommandLine run) {
    RunCommand command = run.getCommand();
    command.settings.addTo(
        run.getCommandSpec(), PersonalizeOptions.optionsExcept(), PersonalizeOptions.PREFIX);
  }

  /** The item metadata of a MovieLens data set's item file. */
  static List<ItemMetadata> fileItems(Path dataSet) {
    return MovieLensReader.read(dataSet).items().values().stream()
        .map(InteractionProducer::toItemMetadata)
        .toList();
  }

  /** The configuration of this run: the user's settings, checked, plus the local defaults. */
  Configuration configuration(PrintStream out) {
    Configuration conf = settings.configuration(configFile, properties);
    if (!PipelineSettings.isLocal()) {
      // Under `flink run`: the cluster's configuration and the submission's -D options come
      // first (personalize.* keys among them), then this command's own options.
      Configuration submitted =
          Configuration.fromMap(
              StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration().toMap());
      submitted.addAll(conf);
      JobConfig.from(submitted); // fails early, naming the setting, on an invalid value
      return submitted; // the cluster's checkpoint directory and restore settings
    }
    JobConfig.from(conf); // fails early, naming the setting, on an invalid value
    if (!conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
      conf.set(
          CheckpointingOptions.CHECKPOINTS_DIRECTORY,
          DEFAULT_CHECKPOINT_DIR.toAbsolutePath().toUri().toString());
    }
    if (!noResume && !conf.contains(StateRecoveryOptions.SAVEPOINT_PATH)) {
      Path dir = Path.of(java.net.URI.create(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)));
      Optional<Path> latest = PipelineSettings.latestCheckpoint(dir);
      if (latest.isPresent()) {
        out.println("resuming from " + latest.get());
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, latest.get().toUri().toString());
      }
    }
    return conf;
  }

  /** The environment with the job defined on it, not yet started. */
  public StreamExecutionEnvironment prepare(PrintStream out) {
    Configuration conf = configuration(out);
    JobConfig config = JobConfig.from(conf);
    if (!dryRun && config.get(PersonalizeOptions.CREATE_TOPICS)) {
      out.println("connecting to Kafka at " + config.bootstrapServers());
      KafkaReachability.check(
          config.bootstrapServers(),
          config.kafkaClientProperties(),
          reachabilityTimeout(config),
          "--bootstrap-servers");
      JobRunner.createTopics(config);
    }
    StreamExecutionEnvironment env = PipelineSettings.environment(conf);
    JobRunner.define(env, config, itemsFile == null ? List.of() : fileItems(itemsFile));
    return env;
  }

  /** The Kafka clients' own {@code default.api.timeout.ms} when it is set, otherwise 30 s. */
  private static Duration reachabilityTimeout(JobConfig config) {
    String millis =
        config.kafkaClientProperties().get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
    if (millis == null) {
      return Duration.ofSeconds(30);
    }
    try {
      return Duration.ofMillis(Long.parseLong(millis.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          PersonalizeOptions.KAFKA_CLIENT_PREFIX
              + AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG
              + " is not a number of milliseconds: "
              + millis,
          e);
    }
  }

  @Override
  public Integer call() throws Exception {
    StreamExecutionEnvironment env = prepare(System.out);
    if (dryRun) {
      System.out.println("settings: " + env.getConfiguration());
      System.out.println(env.getExecutionPlan());
      return 0;
    }
    if (PipelineSettings.isLocal()) {
      LocalPorts.check(env.getConfiguration());
    }
    System.out.println(
        "checkpoints in " + env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
    env.execute(QueryableStateNames.JOB_NAME);
    return 0;
  }
}
