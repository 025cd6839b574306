package io.personalize.job;

import static io.personalize.job.config.PersonalizeOptions.CONSUMER_GROUP;
import static io.personalize.job.config.PersonalizeOptions.IDLENESS;
import static io.personalize.job.config.PersonalizeOptions.MAX_OUT_OF_ORDERNESS;
import static io.personalize.job.config.PersonalizeOptions.MAX_PARTITION_DRIFT;
import static io.personalize.job.config.PersonalizeOptions.START_FROM;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_DEAD_LETTERS;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_INTERACTIONS;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_ITEMS;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_METRICS;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_MODEL_UPDATES;
import static io.personalize.job.config.PersonalizeOptions.TOPIC_RECOMMENDATIONS;

import io.personalize.avro.DeadLetter;
import io.personalize.avro.GradientCheckpoint;
import io.personalize.avro.ItemMetadata;
import io.personalize.avro.MetricSnapshot;
import io.personalize.avro.RecommendationList;
import io.personalize.connectors.avro.AvroCodec;
import io.personalize.connectors.kafka.RawRecord;
import io.personalize.connectors.kafka.Topics;
import io.personalize.connectors.kafka.flink.KafkaConnectors;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.state.QueryableStateNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Wires Kafka to the topology and starts the job. Every entry point (the demo, {@code run}, a jar
 * submitted with {@code flink run}, the tests through Kafka) builds its environment with {@link
 * PipelineSettings} and the job with {@link #define}.
 *
 * <p>Guarantees: Kafka source offsets are part of Flink checkpoints, so after a failure every
 * operator's state and the input position are restored together (exactly-once state). The sinks are
 * at-least-once: after a restart, records since the last checkpoint may be written again. For the
 * model-update feed that is harmless (a consumer skips a version it has already applied); a metrics
 * consumer keeps the latest snapshot per mode and group; a dead letter may appear twice.
 */
public final class JobRunner {
  private JobRunner() {}

  /** Builds the job on {@code env} from the Kafka topics of {@code config} and starts it. */
  public static JobClient start(StreamExecutionEnvironment env, JobConfig config) throws Exception {
    define(env, config, List.of());
    return env.executeAsync(QueryableStateNames.JOB_NAME);
  }

  /**
   * Item metadata loaded from a file, as the raw records the items topic would carry: the same
   * validation then applies to both.
   */
  public static List<RawRecord> itemRecords(List<ItemMetadata> items) {
    AvroCodec<ItemMetadata> codec = AvroCodec.of(ItemMetadata.class);
    List<RawRecord> records = new ArrayList<>(items.size());
    for (ItemMetadata item : items) {
      records.add(new RawRecord("file", 0, records.size(), 0, null, codec.encode(item)));
    }
    return records;
  }

  /**
   * Creates the job's topics that do not exist yet, keeping their records forever (a replay's
   * records are older than any retention): the interactions topic with one partition per keyed
   * subtask, the others with one.
   */
  public static void createTopics(JobConfig config) {
    try (Topics topics = new Topics(config.bootstrapServers(), config.kafkaClientProperties())) {
      topics.createForReplay(config.parallelism(), config.get(TOPIC_INTERACTIONS));
      topics.createForReplay(
          1,
          config.get(TOPIC_ITEMS),
          config.get(TOPIC_MODEL_UPDATES),
          config.get(TOPIC_METRICS),
          config.get(TOPIC_DEAD_LETTERS));
      // The latest list per user is what a reader wants: compaction keeps exactly that.
      topics.create(config.parallelism(), Topics.COMPACTED, config.get(TOPIC_RECOMMENDATIONS));
    }
  }

  /** Where the sources start when no checkpoint is restored. */
  static OffsetsInitializer startingOffsets(JobConfig config) {
    return switch (config.get(START_FROM)) {
      case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
      case EARLIEST -> OffsetsInitializer.earliest();
      case LATEST -> OffsetsInitializer.latest();
    };
  }

  /**
   * Adds the job to {@code env}: Kafka sources, topology, Kafka sinks, with item metadata loaded
   * from a file (a MovieLens item file) joining the items topic.
   */
  public static void define(
      StreamExecutionEnvironment env, JobConfig config, List<ItemMetadata> fileItems) {
    define(env, config, fileItems, UnaryOperator.identity());
  }

  /**
   * {@link #define(StreamExecutionEnvironment, JobConfig, List)} with {@code tap} applied to the
   * interaction records as read, before validation: the benchmark clocks the first record there.
   */
  public static void define(
      StreamExecutionEnvironment env,
      JobConfig config,
      List<ItemMetadata> fileItems,
      UnaryOperator<DataStream<RawRecord>> tap) {
    env.setParallelism(config.parallelism());
    String servers = config.bootstrapServers();
    Map<String, String> client = config.kafkaClientProperties();
    String group = config.get(CONSUMER_GROUP);
    OffsetsInitializer start = startingOffsets(config);
    // Partitions are read at their own pace, and a per-user operator applies a gradient checkpoint
    // only once its slowest input has passed it: skew between partitions is staleness. Aligning
    // the readers on the record timestamps (the event time, as our producer writes it) bounds it.
    DataStream<RawRecord> interactions =
        env.fromSource(
                KafkaConnectors.rawSource(
                    servers, client, config.get(TOPIC_INTERACTIONS), group, start, null),
                WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(
                        config.get(MAX_OUT_OF_ORDERNESS))
                    .withTimestampAssigner((record, previous) -> record.timestamp)
                    .withIdleness(config.get(IDLENESS))
                    .withWatermarkAlignment(
                        "interactions", config.get(MAX_PARTITION_DRIFT), Duration.ofMillis(100)),
                "Kafka: " + config.get(TOPIC_INTERACTIONS))
            .uid("source-interactions");
    interactions = tap.apply(interactions);
    DataStream<RawRecord> items =
        env.fromSource(
                KafkaConnectors.rawSource(
                    servers, client, config.get(TOPIC_ITEMS), group, start, null),
                WatermarkStrategy.noWatermarks(),
                "Kafka: " + config.get(TOPIC_ITEMS))
            .uid("source-items")
            .setParallelism(1);
    if (!fileItems.isEmpty()) {
      items =
          items.union(
              env.fromData(itemRecords(fileItems), TypeInformation.of(RawRecord.class))
                  .uid("source-item-file")
                  .name("Item file")
                  .setParallelism(1));
    }
    PersonalizationTopology.Outputs outputs =
        PersonalizationTopology.build(config, interactions, items);
    outputs
        .modelUpdates()
        .sinkTo(
            KafkaConnectors.sink(
                servers,
                client,
                config.get(TOPIC_MODEL_UPDATES),
                GradientCheckpoint.class,
                config.get(PersonalizeOptions.OUTPUT_FORMAT_MODEL_UPDATES),
                c -> c.getModelKind() + "/" + c.getObjective(),
                GradientCheckpoint::getCreatedAtMillis,
                DeliveryGuarantee.AT_LEAST_ONCE,
                null))
        .uid("sink-model-updates")
        .name("Kafka: " + config.get(TOPIC_MODEL_UPDATES))
        .setParallelism(1);
    outputs
        .metrics()
        .sinkTo(
            KafkaConnectors.sink(
                servers,
                client,
                config.get(TOPIC_METRICS),
                MetricSnapshot.class,
                config.get(PersonalizeOptions.OUTPUT_FORMAT_METRICS),
                m -> m.getMode() + "/" + m.getGroup(),
                MetricSnapshot::getWindowEndMillis,
                DeliveryGuarantee.AT_LEAST_ONCE,
                null))
        .uid("sink-metrics")
        .name("Kafka: " + config.get(TOPIC_METRICS))
        .setParallelism(1);
    if (outputs.recommendations() != null) {
      outputs
          .recommendations()
          .sinkTo(
              KafkaConnectors.sink(
                  servers,
                  client,
                  config.get(TOPIC_RECOMMENDATIONS),
                  RecommendationList.class,
                  config.get(PersonalizeOptions.OUTPUT_FORMAT_RECOMMENDATIONS),
                  RecommendationList::getUserId,
                  RecommendationList::getGeneratedAtMillis,
                  DeliveryGuarantee.AT_LEAST_ONCE,
                  null))
          .uid("sink-recommendations")
          .name("Kafka: " + config.get(TOPIC_RECOMMENDATIONS));
    }
    outputs
        .deadLetters()
        .sinkTo(
            KafkaConnectors.avroSink(
                servers,
                client,
                config.get(TOPIC_DEAD_LETTERS),
                DeadLetter.class,
                d -> d.getReason().name(),
                DeadLetter::getReceivedAtMillis,
                DeliveryGuarantee.AT_LEAST_ONCE,
                null))
        .uid("sink-dead-letters")
        .name("Kafka: " + config.get(TOPIC_DEAD_LETTERS));
  }
}
