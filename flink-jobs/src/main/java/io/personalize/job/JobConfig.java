package io.personalize.job;

import io.personalize.model.Loss;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import io.personalize.model.RatingScale;
import io.personalize.stream.FeatureSpace;
import java.util.List;

/**
 * Everything the streaming job is configured with, validated on construction. {@link #defaults()}
 * documents every default; command-line flags map onto these fields one to one
 * (docs/architecture.md has the table).
 *
 * @param bootstrapServers Kafka brokers
 * @param interactionsTopic interaction events (Avro InteractionEvent, single-object encoding)
 * @param itemsTopic item metadata (Avro ItemMetadata)
 * @param modelUpdatesTopic the model-update feed: gradient checkpoints (Avro GradientCheckpoint)
 * @param metricsTopic prequential metrics (Avro MetricSnapshot)
 * @param deadLettersTopic rejected records with the reason (Avro DeadLetter)
 * @param consumerGroup Kafka consumer group of the job
 * @param model model hyper-parameters (the tuned stream defaults of the hybrid model)
 * @param scale valid ratings; predictions are clamped to it
 * @param genres genre vocabulary of the item features; other genres are hashed
 * @param hashBuckets buckets for hashed item features
 * @param checkpointEveryEvents the global operator closes a gradient checkpoint after this many
 *     events...
 * @param checkpointEveryMillis ...or after this long (processing time), whichever comes first
 * @param regroupEveryEvents the coordinator recomputes group boundaries after this many events
 * @param maxOutOfOrdernessMillis watermark bound on out-of-order event times
 * @param idlenessMillis a source partition without events this long stops holding watermarks
 * @param maxPartitionDriftMillis how far (event time) one partition's reader may run ahead of the
 *     slowest; a faster one waits, which keeps the per-user replicas fresh
 * @param maxFutureMillis events further than this ahead of the wall clock are rejected
 * @param shadows whether the shadow global, local and mtl modes are scored beside adaptive
 * @param metricsIntervalMillis how often metrics are published (processing time)
 * @param maxGlobalUsers user rows the global operator keeps (least recently seen dropped first)
 * @param recentItems items kept per user for candidate generation
 * @param userIdleMillis a user without events this long (event time) is forgotten
 * @param checkpointIntervalMillis Flink checkpoint interval
 * @param parallelism parallelism of the keyed operators (the global, coordinator and metrics
 *     operators run at 1)
 */
public record JobConfig(
    String bootstrapServers,
    String interactionsTopic,
    String itemsTopic,
    String modelUpdatesTopic,
    String metricsTopic,
    String deadLettersTopic,
    String consumerGroup,
    ModelConfig model,
    RatingScale scale,
    List<String> genres,
    int hashBuckets,
    int checkpointEveryEvents,
    long checkpointEveryMillis,
    int regroupEveryEvents,
    long maxOutOfOrdernessMillis,
    long idlenessMillis,
    long maxPartitionDriftMillis,
    long maxFutureMillis,
    boolean shadows,
    long metricsIntervalMillis,
    int maxGlobalUsers,
    int recentItems,
    long userIdleMillis,
    long checkpointIntervalMillis,
    int parallelism)
    implements java.io.Serializable {

  public JobConfig {
    require(!bootstrapServers.isBlank(), "bootstrapServers is empty");
    for (String topic :
        List.of(interactionsTopic, itemsTopic, modelUpdatesTopic, metricsTopic, deadLettersTopic)) {
      require(!topic.isBlank(), "a topic name is empty");
    }
    require(hashBuckets >= 1, "hashBuckets must be >= 1");
    require(checkpointEveryEvents >= 1, "checkpointEveryEvents must be >= 1");
    require(checkpointEveryMillis >= 1, "checkpointEveryMillis must be >= 1");
    require(regroupEveryEvents >= 1, "regroupEveryEvents must be >= 1");
    require(maxOutOfOrdernessMillis >= 0, "maxOutOfOrdernessMillis must be >= 0");
    require(idlenessMillis >= 1, "idlenessMillis must be >= 1");
    require(maxPartitionDriftMillis >= 1, "maxPartitionDriftMillis must be >= 1");
    require(maxFutureMillis >= 0, "maxFutureMillis must be >= 0");
    require(metricsIntervalMillis >= 100, "metricsIntervalMillis must be >= 100");
    require(maxGlobalUsers >= 1, "maxGlobalUsers must be >= 1");
    require(recentItems >= 0, "recentItems must be >= 0");
    require(userIdleMillis >= 1, "userIdleMillis must be >= 1");
    require(checkpointIntervalMillis >= 100, "checkpointIntervalMillis must be >= 100");
    require(parallelism >= 1, "parallelism must be >= 1");
    genres = List.copyOf(genres);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  public static JobConfig defaults() {
    return new JobConfig(
        "localhost:9092",
        "interactions",
        "items",
        "model-updates",
        "metrics",
        "dead-letters",
        "personalize",
        ModelConfig.defaults(ModelKind.HYBRID, Loss.SQUARED, true),
        new RatingScale(1, 5),
        FeatureSpace.MOVIELENS_GENRES,
        16,
        100,
        1_000,
        1_000,
        5_000,
        10_000,
        86_400_000L,
        86_400_000L,
        true,
        5_000,
        1_000_000,
        20,
        365L * 86_400_000L,
        10_000,
        2);
  }

  public FeatureSpace featureSpace() {
    return new FeatureSpace(genres, hashBuckets);
  }

  /** The untrained model's mean: the middle of the rating scale. */
  public double initialMean() {
    return scale.midpoint();
  }

  public JobConfig withBootstrapServers(String servers) {
    return copy(servers, metricsIntervalMillis, parallelism);
  }

  public JobConfig withMetricsIntervalMillis(long millis) {
    return copy(bootstrapServers, millis, parallelism);
  }

  public JobConfig withParallelism(int p) {
    return copy(bootstrapServers, metricsIntervalMillis, p);
  }

  /**
   * This configuration with the fields that callers vary (brokers, metrics interval, parallelism)
   * replaced.
   */
  private JobConfig copy(String servers, long metricsMillis, int p) {
    return new JobConfig(
        servers,
        interactionsTopic,
        itemsTopic,
        modelUpdatesTopic,
        metricsTopic,
        deadLettersTopic,
        consumerGroup,
        model,
        scale,
        genres,
        hashBuckets,
        checkpointEveryEvents,
        checkpointEveryMillis,
        regroupEveryEvents,
        maxOutOfOrdernessMillis,
        idlenessMillis,
        maxPartitionDriftMillis,
        maxFutureMillis,
        shadows,
        metricsMillis,
        maxGlobalUsers,
        recentItems,
        userIdleMillis,
        checkpointIntervalMillis,
        p);
  }
}
