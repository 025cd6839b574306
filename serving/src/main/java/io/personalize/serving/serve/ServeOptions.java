package io.personalize.serving.serve;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.personalize.connectors.config.Setting;
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

  public static final ConfigOption<Boolean> EVENTS_ENABLED =
      key(PREFIX + "events.enabled")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Accept interaction events over HTTP (POST /events), validated and written to the"
                  + " interactions topic.");

  public static final ConfigOption<String> TOPIC_INTERACTIONS =
      key(PREFIX + "topic.interactions")
          .stringType()
          .defaultValue("interactions")
          .withDescription("Topic POST /events writes the events to (the job's input).");

  public static final ConfigOption<Double> EVENTS_RATE_LIMIT =
      key(PREFIX + "events.rate-limit")
          .doubleType()
          .defaultValue(1000.0)
          .withDescription(
              "Events a second one client (by its IP address) may post, on average; a burst may"
                  + " reach one second's worth or one batch. Over it: 429 with Retry-After. 0: no"
                  + " limit.");

  public static final ConfigOption<Integer> EVENTS_MAX_BATCH =
      key(PREFIX + "events.max-batch")
          .intType()
          .defaultValue(500)
          .withDescription("Most events one POST /events may carry (a JSON array).");

  public static final ConfigOption<Integer> EVENTS_MAX_BODY_BYTES =
      key(PREFIX + "events.max-body-bytes")
          .intType()
          .defaultValue(1 << 20)
          .withDescription("Largest POST /events body; a larger one is a 413.");

  public static final ConfigOption<Duration> EVENTS_ACK_TIMEOUT =
      key(PREFIX + "events.ack-timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription(
              "How long POST /events waits for Kafka to acknowledge the events before answering"
                  + " 503 (the events may then have been written or not: see docs/serving.md).");

  public static final ConfigOption<Double> EVENTS_RATING_MIN =
      key(PREFIX + "events.rating-min")
          .doubleType()
          .defaultValue(1.0)
          .withDescription(
              "Lowest rating POST /events accepts: set it to the job's personalize.rating.min.");

  public static final ConfigOption<Double> EVENTS_RATING_MAX =
      key(PREFIX + "events.rating-max")
          .doubleType()
          .defaultValue(5.0)
          .withDescription(
              "Highest rating POST /events accepts: set it to the job's personalize.rating.max.");

  public static final ConfigOption<Duration> EVENTS_MAX_FUTURE =
      key(PREFIX + "events.max-future")
          .durationType()
          .defaultValue(Duration.ofDays(1))
          .withDescription(
              "How far ahead of the wall clock an event's time may be: set it to the job's"
                  + " personalize.event-time.max-future.");

  private static final java.util.function.Predicate<String> NOT_BLANK = v -> !v.isBlank();

  /**
   * Every setting of the server with its rule, in documentation order. Rules between two settings
   * (default-k at most max-k, rating-min at most rating-max) are checked where they are read.
   */
  public static final List<Setting<?>> SETTINGS =
      List.of(
          Setting.of(HOST, NOT_BLANK, "not blank"),
          Setting.of(PORT, p -> p >= 0 && p <= 65_535, "0..65535"),
          Setting.of(BOOTSTRAP_SERVERS, NOT_BLANK, "not blank"),
          Setting.of(TOPIC_RECOMMENDATIONS, NOT_BLANK, "not blank"),
          Setting.of(TOPIC_ITEMS, NOT_BLANK, "not blank"),
          Setting.of(TOPIC_METRICS, NOT_BLANK, "not blank"),
          Setting.of(FLINK_REST),
          Setting.of(QUERYABLE_STATE_PROXY),
          Setting.of(LOOKUP_TIMEOUT, d -> !d.isNegative() && !d.isZero(), "> 0"),
          Setting.of(DEFAULT_K, k -> k >= 1, "1..max-k"),
          Setting.of(MAX_K, k -> k >= 1, ">= 1"),
          Setting.of(EVENTS_ENABLED),
          Setting.of(TOPIC_INTERACTIONS, NOT_BLANK, "not blank"),
          Setting.of(EVENTS_RATE_LIMIT, r -> r >= 0 && Double.isFinite(r), ">= 0"),
          Setting.of(EVENTS_MAX_BATCH, n -> n >= 1 && n <= 100_000, "1..100000"),
          Setting.of(EVENTS_MAX_BODY_BYTES, n -> n >= 1_024, ">= 1024"),
          Setting.of(EVENTS_ACK_TIMEOUT, d -> d.toMillis() >= 1, ">= 1 ms"),
          Setting.of(EVENTS_RATING_MIN, Double::isFinite, "a number, at most events.rating-max"),
          Setting.of(EVENTS_RATING_MAX, Double::isFinite, "a number"),
          Setting.of(EVENTS_MAX_FUTURE, d -> !d.isNegative(), ">= 0"));

  /** Every option of the server, in documentation order. */
  public static final List<ConfigOption<?>> ALL =
      SETTINGS.stream().<ConfigOption<?>>map(Setting::option).toList();

  /** Checks every setting in {@code conf} that has a rule against it. */
  public static void check(org.apache.flink.configuration.ReadableConfig conf) {
    SETTINGS.stream().filter(s -> !s.rule().isEmpty()).forEach(s -> s.read(conf));
  }
}
