package io.personalize.serving.serve;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * The settings of {@code personalize serve}: where it listens, where the job's topics are, and
 * where the job answers queryable-state lookups. Flags ({@code --port}) and the documentation table
 * come from these options.
 */
public final class ServeOptions {
  private ServeOptions() {}

  public static final String PREFIX = "personalize.serve.";

  public static final ConfigOption<String> HOST =
      key(PREFIX + "host")
          .stringType()
          .defaultValue("127.0.0.1")
          .withDescription(
              "Address the HTTP server binds; loopback unless set (0.0.0.0: every interface).");

  public static final ConfigOption<Integer> PORT =
      key(PREFIX + "port")
          .intType()
          .defaultValue(8090)
          .withDescription("Port of the HTTP server (0: any free port, printed at start).");

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      key(PREFIX + "bootstrap-servers")
          .stringType()
          .defaultValue("localhost:9092")
          .withDescription("Kafka brokers the lists, item metadata and metrics are read from.");

  public static final ConfigOption<String> TOPIC_RECOMMENDATIONS =
      key(PREFIX + "topic.recommendations")
          .stringType()
          .defaultValue("recommendations")
          .withDescription(
              "The job's compacted topic of lists (read from the beginning at every start).");

  public static final ConfigOption<String> TOPIC_ITEMS =
      key(PREFIX + "topic.items")
          .stringType()
          .defaultValue("items")
          .withDescription("Topic of item metadata: the titles and genres answers show.");

  public static final ConfigOption<String> TOPIC_METRICS =
      key(PREFIX + "topic.metrics")
          .stringType()
          .defaultValue("metrics")
          .withDescription("Topic of the job's prequential metrics: the status page's chart.");

  public static final ConfigOption<String> FLINK_REST =
      key(PREFIX + "flink-rest")
          .stringType()
          .defaultValue("http://127.0.0.1:8081")
          .withDescription("Flink REST API, to find the running job for profile lookups.");

  public static final ConfigOption<String> QUERYABLE_STATE_PROXY =
      key(PREFIX + "queryable-state-proxy")
          .stringType()
          .defaultValue("127.0.0.1:9069")
          .withDescription("Flink queryable state proxy, host:port, for profile lookups.");

  public static final ConfigOption<Duration> LOOKUP_TIMEOUT =
      key(PREFIX + "lookup-timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(2))
          .withDescription(
              "How long GET /users/{id} waits for the job's queryable state before answering 503.");

  public static final ConfigOption<Integer> DEFAULT_K =
      key(PREFIX + "default-k")
          .intType()
          .defaultValue(10)
          .withDescription("Items per answer when the request gives no k.");

  public static final ConfigOption<Integer> MAX_K =
      key(PREFIX + "max-k")
          .intType()
          .defaultValue(100)
          .withDescription("Largest k a request may ask for (a larger one is a 400).");

  public static final List<ConfigOption<?>> ALL =
      List.of(
          HOST,
          PORT,
          BOOTSTRAP_SERVERS,
          TOPIC_RECOMMENDATIONS,
          TOPIC_ITEMS,
          TOPIC_METRICS,
          FLINK_REST,
          QUERYABLE_STATE_PROXY,
          LOOKUP_TIMEOUT,
          DEFAULT_K,
          MAX_K);
}
