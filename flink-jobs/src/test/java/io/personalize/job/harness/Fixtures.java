package io.personalize.job.harness;

import io.personalize.job.ValidEvent;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.online.GlobalModel;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * Shared inputs of the harness tests: a {@link JobConfig} with the few settings a test turns, and
 * events.
 */
final class Fixtures {
  private Fixtures() {}

  /** The defaults, with the settings the harness tests turn. */
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
        PersonalizeOptions.SHADOW_MODES.defaultValue());
  }

  /**
   * As {@link #config(int, long, int, long, long)}, with the shadow modes on or off; when on, they
   * score every user.
   */
  static JobConfig config(
      int checkpointEveryEvents,
      long checkpointEveryMillis,
      int regroupEveryEvents,
      long metricsIntervalMillis,
      long userIdleMillis,
      boolean shadows) {
    Configuration conf = new Configuration();
    conf.set(PersonalizeOptions.MODEL_UPDATES_EVERY_EVENTS, checkpointEveryEvents);
    conf.set(PersonalizeOptions.MODEL_UPDATES_EVERY, Duration.ofMillis(checkpointEveryMillis));
    conf.set(PersonalizeOptions.MODEL_REGROUP_EVERY_EVENTS, regroupEveryEvents);
    conf.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofMillis(metricsIntervalMillis));
    conf.set(PersonalizeOptions.USER_IDLE_EXPIRY, Duration.ofMillis(userIdleMillis));
    conf.set(PersonalizeOptions.SHADOW_MODES, shadows);
    conf.set(PersonalizeOptions.SHADOW_SHARE, 1.0);
    return JobConfig.from(conf);
  }

  /** {@code config} with the shadow modes scoring the share {@code shadowShare} of the users. */
  static JobConfig withShadowShare(JobConfig config, double shadowShare) {
    Configuration conf = config.toConfiguration();
    conf.set(PersonalizeOptions.SHADOW_SHARE, shadowShare);
    return JobConfig.from(conf);
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
        config.model(),
        config.featureSpace(),
        config.initialMean(),
        config.get(PersonalizeOptions.MAX_USERS));
  }
}
