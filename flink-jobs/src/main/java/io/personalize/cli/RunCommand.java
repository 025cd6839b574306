package io.personalize.cli;

import io.personalize.avro.ItemMetadata;
import io.personalize.connectors.data.MovieLensReader;
import io.personalize.connectors.kafka.InteractionProducer;
import io.personalize.job.JobConfig;
import io.personalize.job.JobRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code personalize run}: the job against an existing Kafka cluster, on the execution environment
 * of the context: a local Flink when started from this command line, the cluster when the jar is
 * submitted with {@code flink run}. Flags map one to one onto {@link JobConfig}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Runs the streaming job against an existing Kafka cluster (flags map onto JobConfig).")
public final class RunCommand implements Callable<Integer> {
  private static final JobConfig D = JobConfig.defaults();

  @Option(names = "--bootstrap-servers", description = "Kafka brokers (default: localhost:9092).")
  String bootstrapServers = D.bootstrapServers();

  @Option(
      names = "--interactions-topic",
      description = "Interaction events topic (default: interactions).")
  String interactionsTopic = D.interactionsTopic();

  @Option(names = "--items-topic", description = "Item metadata topic (default: items).")
  String itemsTopic = D.itemsTopic();

  @Option(
      names = "--model-updates-topic",
      description = "Gradient checkpoint feed (default: model-updates).")
  String modelUpdatesTopic = D.modelUpdatesTopic();

  @Option(names = "--metrics-topic", description = "Prequential metrics (default: metrics).")
  String metricsTopic = D.metricsTopic();

  @Option(names = "--dead-letters-topic", description = "Rejected records (default: dead-letters).")
  String deadLettersTopic = D.deadLettersTopic();

  @Option(names = "--consumer-group", description = "Kafka consumer group (default: personalize).")
  String consumerGroup = D.consumerGroup();

  @Option(
      names = "--checkpoint-every-events",
      description = "Gradient checkpoint every N events (default: 100).")
  int checkpointEveryEvents = D.checkpointEveryEvents();

  @Option(names = "--checkpoint-every-millis", description = "... or every T ms (default: 1000).")
  long checkpointEveryMillis = D.checkpointEveryMillis();

  @Option(
      names = "--regroup-every-events",
      description = "Recompute group boundaries every N events (default: 1000).")
  int regroupEveryEvents = D.regroupEveryEvents();

  @Option(
      names = "--no-shadows",
      description = "Do not score the shadow global, local and mtl modes.")
  boolean noShadows;

  @Option(
      names = "--metrics-interval-millis",
      description = "Publish metrics every T ms (default: 5000).")
  long metricsIntervalMillis = D.metricsIntervalMillis();

  @Option(names = "--parallelism", description = "Parallelism of the keyed operators (default: 2).")
  int parallelism = D.parallelism();

  @Option(
      names = "--from-earliest",
      description = "Start from the earliest offsets instead of the committed ones.")
  boolean fromEarliest;

  @Option(
      names = "--items-file",
      description =
          "A MovieLens directory or ratings file whose item file (u.item, movies.dat, movies.csv)"
              + " is loaded as item metadata, beside the items topic.")
  Path itemsFile;

  /** The item metadata of a MovieLens data set's item file. */
  static List<ItemMetadata> fileItems(Path dataSet) {
    return MovieLensReader.read(dataSet).items().values().stream()
        .map(InteractionProducer::toItemMetadata)
        .toList();
  }

  @Override
  public Integer call() throws Exception {
    JobConfig config =
        new JobConfig(
            bootstrapServers,
            interactionsTopic,
            itemsTopic,
            modelUpdatesTopic,
            metricsTopic,
            deadLettersTopic,
            consumerGroup,
            D.model(),
            D.scale(),
            D.genres(),
            D.hashBuckets(),
            checkpointEveryEvents,
            checkpointEveryMillis,
            regroupEveryEvents,
            D.maxOutOfOrdernessMillis(),
            D.idlenessMillis(),
            D.maxPartitionDriftMillis(),
            D.maxFutureMillis(),
            !noShadows,
            metricsIntervalMillis,
            D.maxGlobalUsers(),
            D.recentItems(),
            D.userIdleMillis(),
            D.checkpointIntervalMillis(),
            parallelism);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    OffsetsInitializer start =
        fromEarliest
            ? OffsetsInitializer.earliest()
            : OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    JobRunner.define(env, config, start, itemsFile == null ? List.of() : fileItems(itemsFile));
    env.execute(io.personalize.state.QueryableStateNames.JOB_NAME);
    return 0;
  }
}
