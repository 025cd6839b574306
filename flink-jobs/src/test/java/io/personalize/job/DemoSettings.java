package io.personalize.job;

import io.personalize.job.config.PersonalizeOptions;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/** The demo's settings for the tests that run it, on ports of their own. */
final class DemoSettings {
  private DemoSettings() {}

  /**
   * The demo's defaults at {@code parallelism}, metrics every second, free REST and proxy ports.
   */
  static Configuration onFreePorts(int parallelism) {
    Configuration settings = new Configuration();
    settings.set(PersonalizeOptions.PARALLELISM, parallelism);
    settings.set(PersonalizeOptions.METRICS_INTERVAL, Duration.ofSeconds(1));
    settings.setString("rest.port", String.valueOf(KafkaJob.freePort()));
    settings.setString("queryable-state.proxy.ports", String.valueOf(KafkaJob.freePort()));
    return settings;
  }
}
