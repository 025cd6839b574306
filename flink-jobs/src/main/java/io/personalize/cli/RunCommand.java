package io.personalize.cli;

import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.data.MovieLensReader;
import io.personalize.connectors.kafka.InteractionProducer;
import io.personalize.connectors.kafka.KafkaReachability;
import io.personalize.connectors.kafka.TopicBacklog;
import io.personalize.demo.Demo;
import io.personalize.demo.JobWatch;
import io.personalize.demo.OperatorCounters;
import io.personalize.demo.ShutdownHooks;
import io.personalize.job.JobRunner;
import io.personalize.job.PipelineSettings;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.serving.config.SettingFlags;
import io.personalize.state.QueryableStateNames;
import io.personalize.util.Durations;
import io.personalize.util.Messages;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.TimeUtils;
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
      "Runs the streaming job against an existing Kafka cluster. Every setting below is also a"
          + " Flink option (personalize.<name>), so -D, a Flink config file or `flink run` take it too;"
          + " docs/configuration.md has the table."
    })
public final class RunCommand implements Callable<Integer> {
  /** Where local runs keep their checkpoints unless execution.checkpointing.dir is set. */
  static final Path DEFAULT_CHECKPOINT_DIR = Path.of("out", "checkpoints");

  final SettingFlags settings = new SettingFlags();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
      names = "--out",
      paramLabel = "DIR",
      description =
          "Locally: where endpoints.json goes (the job's addresses, for query and serve"
              + " --endpoints). Default: ${DEFAULT-VALUE}.")
  Path outDir = Path.of("out", "run");

  @Option(
      names = "--progress-interval",
      paramLabel = "DURATION",
      description =
          "Locally: how often to print the events accepted, dead letters, lists published and the"
              + " newest checkpoint, when they have moved (e.g. 30 s, 1 min; 0 s prints none)."
              + " Default: ${DEFAULT-VALUE}.")
  String progressInterval = "30 s";

  @Option(
      names = "--dry-run",
      description = "Print the effective settings and the job's plan, and do not start it.")
  boolean dryRun;

  /** The checkpoint this run resumes from, when it chose the newest one itself. */
  private Path resumedFrom;

  /** What this run reads, once Kafka has answered; kept beside its checkpoints. */
  private RunInput input;

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
    Optional<Path> dir = localCheckpointDirectory(conf);
    if (!noResume && !conf.contains(StateRecoveryOptions.SAVEPOINT_PATH) && dir.isPresent()) {
      Optional<Path> latest = PipelineSettings.latestCheckpoint(dir.get());
      if (latest.isPresent()) {
        out.println("resuming from " + latest.get());
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, latest.get().toUri().toString());
        resumedFrom = latest.get();
      }
    }
    return conf;
  }

  /** The checkpoint directory when it is on this machine's file system (not s3://, say). */
  private static Optional<Path> localCheckpointDirectory(Configuration conf) {
    java.net.URI uri = java.net.URI.create(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
    return "file".equals(uri.getScheme()) ? Optional.of(Path.of(uri)) : Optional.empty();
  }

  /** The environment with the job defined on it, not yet started. */
  public StreamExecutionEnvironment prepare(PrintStream out) {
    Configuration conf = configuration(out);
    JobConfig config = JobConfig.from(conf);
    boolean createTopics = config.get(PersonalizeOptions.CREATE_TOPICS);
    // Asked before anything starts when it creates topics or resumes a checkpoint (whose input
    // must be this one); a run that does neither records no input and starts without asking.
    if (!dryRun && (createTopics || resumedFrom != null)) {
      out.println("connecting to Kafka at " + config.bootstrapServers());
      String cluster =
          KafkaReachability.check(
              config.bootstrapServers(),
              config.kafkaClientProperties(),
              reachabilityTimeout(config),
              "--bootstrap-servers");
      input =
          new RunInput(
              cluster,
              config.bootstrapServers(),
              config.get(PersonalizeOptions.TOPIC_INTERACTIONS),
              config.get(PersonalizeOptions.TOPIC_ITEMS));
      if (resumedFrom != null) {
        RunInput.of(resumedFrom.getParent())
            .ifPresent(made -> made.requireSame(input, resumedFrom));
      }
      if (createTopics) {
        JobRunner.createTopics(config);
      }
      out.println(whereItStarts(config, reachabilityTimeout(config), resumedFrom != null));
    }
    StreamExecutionEnvironment env = PipelineSettings.environment(conf);
    JobRunner.define(env, config, itemsFile == null ? List.of() : fileItems(itemsFile));
    return env;
  }

  /**
   * Where the job starts reading its events, and how many that is: a job whose consumer group had
   * read the topic to its end (an earlier run's) printed "0 events accepted" with nothing to say
   * why, and a resumed run said nothing of the events that came while it was stopped. A job that
   * restores a checkpoint reads from the checkpoint's offsets. Kafka's source commits those to the
   * consumer group after the checkpoint completes, asynchronously, and the last ones may never be
   * (seen: a run stopped 5 s after its last checkpoint had committed one partition of two), so the
   * group's offsets give at most how many events are new.
   */
  static String whereItStarts(JobConfig config, Duration timeout, boolean resuming) {
    String topic = config.get(PersonalizeOptions.TOPIC_INTERACTIONS);
    String group = config.get(PersonalizeOptions.CONSUMER_GROUP);
    PersonalizeOptions.StartFrom from = config.get(PersonalizeOptions.START_FROM);
    TopicBacklog backlog;
    try {
      backlog =
          TopicBacklog.of(
              config.bootstrapServers(), config.kafkaClientProperties(), topic, group, timeout);
    } catch (IllegalStateException e) {
      // Only a note: a client allowed to read the topic may not be allowed to describe the group.
      return String.format(
          "reading '%s' (start-from %s); how many events that is is not known: %s",
          topic, from, Messages.oneLine(e));
    }
    if (resuming) {
      return backlog.committed()
          ? String.format(
              "reading '%s' where that checkpoint left off: at most %,d of its %,d events after"
                  + " it (by consumer group '%s''s offsets, which Kafka's source commits after each"
                  + " checkpoint)",
              topic, backlog.afterCommitted(), backlog.records(), group)
          : String.format(
              "reading '%s' where that checkpoint left off (%,d events there now; consumer group"
                  + " '%s' committed no offsets to say how many are new)",
              topic, backlog.records(), group);
    }
    if (from == PersonalizeOptions.StartFrom.LATEST) {
      return String.format(
          "reading '%s' from its end (start-from LATEST): the %,d events there now are skipped",
          topic, backlog.records());
    }
    if (from == PersonalizeOptions.StartFrom.COMMITTED && backlog.committed()) {
      return String.format(
          "reading '%s' after consumer group '%s''s committed offsets: %,d of its %,d events"
              + "%s",
          topic,
          group,
          backlog.afterCommitted(),
          backlog.records(),
          backlog.afterCommitted() < backlog.records()
              ? " (--start-from EARLIEST or another --consumer-group reads them all)"
              : "");
    }
    return String.format(
        "reading '%s' from its first event: %,d there now", topic, backlog.records());
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
    Duration interval = progressInterval();
    if (!dryRun && PipelineSettings.isLocal()) {
      OutputDirectory.create(outDir);
    }
    StreamExecutionEnvironment env = prepare(System.out);
    if (dryRun) {
      System.out.println("settings: " + env.getConfiguration());
      System.out.println(env.getExecutionPlan());
      return 0;
    }
    if (!PipelineSettings.isLocal()) {
      env.execute(QueryableStateNames.JOB_NAME); // `flink run` reports on the job itself
      return 0;
    }
    Configuration conf = Configuration.fromMap(env.getConfiguration().toMap());
    LocalPorts.check(conf);
    System.out.println("checkpoints in " + conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
    JobClient client = env.executeAsync(QueryableStateNames.JOB_NAME);
    if (input != null) {
      localCheckpointDirectory(conf)
          .ifPresent(dir -> input.write(dir.resolve(client.getJobID().toHexString())));
    }
    Optional<Path> checkpoints = localCheckpointDirectory(conf);
    Thread onStop =
        ShutdownHooks.add("run-stopped", () -> System.out.println(stopped(checkpoints)));
    try {
      follow(client, conf, JobConfig.from(conf), interval, System.out);
      return outcome(client, System.out);
    } finally {
      ShutdownHooks.remove(onStop);
    }
  }

  /** What Ctrl-C left: the checkpoint the next run resumes from. */
  private static String stopped(Optional<Path> checkpoints) {
    if (checkpoints.isEmpty()) {
      return "stopped; the next run resumes from the newest checkpoint";
    }
    return PipelineSettings.latestCheckpoint(checkpoints.get())
        .map(latest -> "stopped; the next run resumes from " + latest)
        .orElse("stopped before its first checkpoint: the next run reads the same events again");
  }

  private Duration progressInterval() {
    try {
      Duration interval = TimeUtils.parseDuration(progressInterval);
      if (interval.isNegative()) {
        throw new IllegalArgumentException("is negative");
      }
      return interval;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--progress-interval " + progressInterval + " is not a duration (30 s, 1 min, 0 s)", e);
    }
  }

  /**
   * Says where the local job's web UI and state are (also in {@code endpoints.json}), then prints
   * its progress and failovers until it ends. Without a fixed REST port its address is unknown:
   * then it waits for the end alone.
   */
  private void follow(
      JobClient client, Configuration conf, JobConfig job, Duration interval, PrintStream out)
      throws Exception {
    Optional<Integer> rest = LocalPorts.fixed(conf, RestOptions.PORT.key());
    Optional<Integer> proxy = LocalPorts.fixed(conf, LocalPorts.QUERYABLE_STATE_PROXY);
    out.println("job " + client.getJobID() + " runs on a local Flink");
    rest.ifPresent(port -> out.println("  web UI and REST API: http://127.0.0.1:" + port));
    proxy.ifPresent(port -> out.println("  queryable state:     127.0.0.1:" + port));
    if (rest.isEmpty()) {
      out.println("stop with Ctrl-C; the next run resumes from the newest checkpoint");
      client.getJobExecutionResult().exceptionally(failure -> null).get();
      return;
    }
    String restAddress = "http://127.0.0.1:" + rest.get();
    if (proxy.isPresent()) {
      Path file =
          new Demo.Endpoints(job.bootstrapServers(), restAddress, "127.0.0.1:" + proxy.get(), null)
              .write(outDir);
      out.println("  look a user up:      bin/personalize query --user ID --endpoints " + file);
      if (job.recommends()) {
        out.println("  serve the lists:     bin/personalize serve --endpoints " + file);
      }
    }
    out.println(
        "stop with Ctrl-C; the next run resumes from the newest checkpoint"
            + ((interval.compareTo(Duration.ZERO) > 0)
                ? "; progress every " + Durations.show(interval) + ", counted from this start:"
                : ""));
    RunProgress progress =
        new RunProgress(
            new OperatorCounters(restAddress, client.getJobID()),
            client.getJobID().toHexString(),
            job.recommends());
    new JobWatch(client, restAddress, out).untilTerminated(interval, progress::line);
  }

  /**
   * 0 when the job finished (stopped with a savepoint) or was cancelled, both an operator's doing.
   * A failure is 1 and one line with its innermost cause (for this job usually its own words, such
   * as a checkpoint of another model shape); the whole trace goes to {@code OUT/failure.txt}, since
   * the local cluster, with its web UI, is gone with the job.
   */
  private int outcome(JobClient client, PrintStream out) throws Exception {
    try {
      client.getJobExecutionResult().get();
      out.println("the job finished");
      return 0;
    } catch (ExecutionException e) {
      if (ExceptionUtils.findThrowable(e, JobCancellationException.class).isPresent()) {
        out.println("the job was cancelled; the next run resumes from its newest checkpoint");
        return 0;
      }
      Throwable failure = e.getCause() == null ? e : e.getCause();
      Throwable innermost = failure;
      while (innermost.getCause() != null) {
        innermost = innermost.getCause();
      }
      Files.createDirectories(outDir);
      Path trace = outDir.resolve("failure.txt");
      Files.writeString(trace, ExceptionUtils.stringifyException(failure));
      spec.commandLine()
          .getErr()
          .println(
              "personalize: the job failed: " + innermost + " (the whole trace: " + trace + ")");
      return 1;
    }
  }
}
