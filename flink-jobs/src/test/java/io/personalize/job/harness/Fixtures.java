package io.personalize.job.harness;

import io.personalize.job.JobConfig;
import io.personalize.job.ValidEvent;
import io.personalize.stream.GlobalModel;

/**
 * Shared inputs of the harness tests: a {@link JobConfig} with the few knobs a test turns (built
 * from {@link JobConfig#defaults()} with the record's canonical constructor), and events.
 */
final class Fixtures {
  private Fixtures() {}

  /** The defaults, with the knobs the harness tests turn. */
  static JobConfig config(
      int checkpointEveryEvents,
      long checkpointEveryMillis,
      int regroupEveryEvents,
      long metricsIntervalMillis,
      long userIdleMillis) {
    return config(
        checkpointEveryEvents,
        checkpointEveryMillis,
        regroupEveryEvents,
        metricsIntervalMillis,
        userIdleMillis,
        JobConfig.defaults().shadows());
  }

  /** As {@link #config(int, long, int, long, long)}, with the shadow modes on or off. */
  static JobConfig config(
      int checkpointEveryEvents,
      long checkpointEveryMillis,
      int regroupEveryEvents,
      long metricsIntervalMillis,
      long userIdleMillis,
      boolean shadows) {
    JobConfig d = JobConfig.defaults();
    return new JobConfig(
        d.bootstrapServers(),
        d.interactionsTopic(),
        d.itemsTopic(),
        d.modelUpdatesTopic(),
        d.metricsTopic(),
        d.deadLettersTopic(),
        d.consumerGroup(),
        d.model(),
        d.scale(),
        d.genres(),
        d.hashBuckets(),
        checkpointEveryEvents,
        checkpointEveryMillis,
        regroupEveryEvents,
        d.maxOutOfOrdernessMillis(),
        d.idlenessMillis(),
        d.maxPartitionDriftMillis(),
        d.maxFutureMillis(),
        shadows,
        metricsIntervalMillis,
        d.maxGlobalUsers(),
        d.recentItems(),
        userIdleMillis,
        d.checkpointIntervalMillis(),
        d.parallelism());
  }

  static ValidEvent rating(String user, String item, double value, long timeMillis) {
    return new ValidEvent(user, item, "RATING", value, timeMillis);
  }

  static ValidEvent click(String user, String item, long timeMillis) {
    return new ValidEvent(user, item, "CLICK", 1.0, timeMillis);
  }

  /** The plain-Java global model the global operator wraps, built as the operator builds it. */
  static GlobalModel globalModel(JobConfig config) {
    return new GlobalModel(
        config.model(), config.featureSpace(), config.initialMean(), config.maxGlobalUsers());
  }
}
