package io.personalize.serving.serve;

import static io.personalize.serving.serve.ServeOptions.BOOTSTRAP_SERVERS;
import static io.personalize.serving.serve.ServeOptions.DEFAULT_K;
import static io.personalize.serving.serve.ServeOptions.FLINK_REST;
import static io.personalize.serving.serve.ServeOptions.HOST;
import static io.personalize.serving.serve.ServeOptions.LOOKUP_TIMEOUT;
import static io.personalize.serving.serve.ServeOptions.MAX_K;
import static io.personalize.serving.serve.ServeOptions.PORT;
import static io.personalize.serving.serve.ServeOptions.QUERYABLE_STATE_PROXY;
import static io.personalize.serving.serve.ServeOptions.TOPIC_ITEMS;
import static io.personalize.serving.serve.ServeOptions.TOPIC_METRICS;
import static io.personalize.serving.serve.ServeOptions.TOPIC_RECOMMENDATIONS;

import io.personalize.serving.query.Endpoints;
import io.personalize.settings.KafkaClientSettings;
import io.personalize.settings.UnknownKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The server's settings, read from a configuration and checked once. {@code kafkaClient}: the
 * {@code personalize.kafka.*} settings of its Kafka consumers, without the prefix (SASL, SSL).
 */
public record ServeSettings(
    String host,
    int port,
    String bootstrapServers,
    Map<String, String> kafkaClient,
    String recommendationsTopic,
    String itemsTopic,
    String metricsTopic,
    Endpoints job,
    Duration lookupTimeout,
    int defaultK,
    int maxK,
    EventIntakeSettings events) {

  public ServeSettings {
    kafkaClient = Map.copyOf(kafkaClient);
  }

  /**
   * @throws IllegalArgumentException naming the key and the rule of the first invalid value
   */
  public static ServeSettings from(Configuration conf) {
    UnknownKeys.refuse(
        conf.keySet(),
        List.of(ServeOptions.PREFIX),
        List.of(),
        ServeOptions.ALL.stream().map(ConfigOption::key).collect(Collectors.toSet()));
    ServeOptions.check(conf);
    int port = conf.get(PORT);
    int maxK = conf.get(MAX_K);
    int defaultK = conf.get(DEFAULT_K);
    check(
        defaultK <= maxK,
        DEFAULT_K.key() + " must be 1.." + MAX_K.key() + " (" + maxK + "), was " + defaultK);
    Duration timeout = conf.get(LOOKUP_TIMEOUT);
    Endpoints job =
        Endpoints.of(
            conf.get(FLINK_REST).trim(),
            conf.get(QUERYABLE_STATE_PROXY).trim(),
            "the settings " + FLINK_REST.key() + " / " + QUERYABLE_STATE_PROXY.key());
    return new ServeSettings(
        conf.get(HOST).trim(),
        port,
        conf.get(BOOTSTRAP_SERVERS).trim(),
        KafkaClientSettings.from(conf.toMap()),
        conf.get(TOPIC_RECOMMENDATIONS).trim(),
        conf.get(TOPIC_ITEMS).trim(),
        conf.get(TOPIC_METRICS).trim(),
        job,
        timeout,
        defaultK,
        maxK,
        EventIntakeSettings.from(conf));
  }

  /** The settings with the Kafka client settings' names only: their values may be passwords. */
  @Override
  public String toString() {
    return "ServeSettings[host="
        + host
        + ", port="
        + port
        + ", bootstrapServers="
        + bootstrapServers
        + ", kafkaClient="
        + KafkaClientSettings.keysOnly(kafkaClient)
        + ", recommendationsTopic="
        + recommendationsTopic
        + ", itemsTopic="
        + itemsTopic
        + ", metricsTopic="
        + metricsTopic
        + ", job="
        + job
        + ", lookupTimeout="
        + lookupTimeout
        + ", defaultK="
        + defaultK
        + ", maxK="
        + maxK
        + ", events="
        + events
        + "]";
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
