package io.personalize.job.config;

import io.personalize.connectors.config.Setting;
import io.personalize.settings.UnknownKeys;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;

/**
 * The job's {@code personalize.*} keys must name a setting of the job or the evaluator; Kafka
 * client settings ({@code personalize.kafka.*}) are Kafka's to check, and the server's ({@code
 * personalize.serve.*}) the server's.
 */
final class UnknownSettings {
  private static final Set<String> KNOWN =
      Stream.concat(
              PersonalizeOptions.ALL.stream().map(Setting::option), EvaluatorOptions.ALL.stream())
          .map(ConfigOption::key)
          .collect(Collectors.toCollection(TreeSet::new));

  private UnknownSettings() {}

  static void refuse(Set<String> keys) {
    UnknownKeys.refuse(
        keys,
        List.of(PersonalizeOptions.PREFIX),
        List.of(PersonalizeOptions.KAFKA_CLIENT_PREFIX, PersonalizeOptions.SERVE_PREFIX),
        KNOWN);
  }
}
