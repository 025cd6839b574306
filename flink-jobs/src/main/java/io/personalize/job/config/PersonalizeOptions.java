package io.personalize.job.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.personalize.connectors.config.Setting;
import io.personalize.connectors.format.OutputFormat;
import io.personalize.connectors.registry.RegistrySettings;
import io.personalize.model.ModelKind;
import io.personalize.model.UserSample;
import io.personalize.model.features.FeatureSpace;
import io.personalize.settings.KafkaClientSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every setting of the streaming job, each declared once as a Flink {@link ConfigOption} with its
 * validation rule. The job reads them from the Flink configuration, so the same jar runs with
 * {@code -Dpersonalize.<key>=<value>} or a Flink config file on a cluster; {@code bin/personalize
 * run} turns each into a flag ({@code personalize.model.factors} is {@code --model-factors}), and
 * {@code docs/configuration.md} is generated from this list.
 */
public final class PersonalizeOptions {
  private PersonalizeOptions() {}

  /** The prefix of every key; flags drop it. */
  public static final String PREFIX = "personalize.";

  /** Where the job starts reading when its consumer group has no committed offsets. */
  public enum StartFrom {
    /** The group's committed offsets; the earliest offset of a partition with none. */
    COMMITTED,
    /** The earliest offsets: replay everything the topics hold. */
    EARLIEST,
    /** The latest offsets: only what arrives from now on. */
    LATEST
  }

  // ---- Kafka

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      key(PREFIX + "bootstrap-servers")
          .stringType()
          .defaultValue("localhost:9092")
          .withDescription("Kafka brokers, host:port[,host:port...].");

  public static final ConfigOption<String> CONSUMER_GROUP =
      key(PREFIX + "consumer-group")
          .stringType()
          .defaultValue("personalize")
          .withDescription("Kafka consumer group of the job's sources.");

  public static final ConfigOption<StartFrom> START_FROM =
      key(PREFIX + "start-from")
          .enumType(StartFrom.class)
          .defaultValue(StartFrom.COMMITTED)
          .withDescription(
              "Where the sources start when the job does not restore from a checkpoint:"
                  + " COMMITTED (the group's offsets, earliest where none), EARLIEST or LATEST.");

  /**
   * Keys under this prefix go, without it, to every Kafka client of the job: e.g. {@code
   * personalize.kafka.security.protocol: SASL_SSL}, {@code personalize.kafka.sasl.mechanism},
   * {@code personalize.kafka.sasl.jaas.config}, {@code personalize.kafka.ssl.truststore.location}.
   * {@code serve} and {@code produce} take the same keys ({@link KafkaClientSettings}).
   */
  public static final String KAFKA_CLIENT_PREFIX = KafkaClientSettings.PREFIX;

  /**
   * The recommendation server's keys ({@code ServeOptions}, in the serving module, which the job
   * does not depend on): a config file may hold them beside the job's, and the server checks them.
   */
  public static final String SERVE_PREFIX = PREFIX + "serve.";

  /**
   * The Kafka client settings among {@code config}'s keys ({@link #KAFKA_CLIENT_PREFIX}).
   *
   * @throws IllegalArgumentException for a setting the job makes from its own options
   */
  public static Map<String, String> kafkaClientProperties(Map<String, String> config) {
    return KafkaClientSettings.from(config);
  }

  public static final ConfigOption<Boolean> CREATE_TOPICS =
      key(PREFIX + "create-topics")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Create the job's topics that do not exist yet when the job is submitted:"
                  + " interactions with one partition per keyed subtask, and every input and"
                  + " output topic kept without time limit (replayed events are older than any"
                  + " retention), recommendations compacted. Off where a platform manages"
                  + " topics: the job then fails at start while its input topics are missing.");

  public static final ConfigOption<String> TOPIC_INTERACTIONS =
      topic("interactions", "interaction events (Avro InteractionEvent)");
  public static final ConfigOption<String> TOPIC_ITEMS =
      topic("items", "item metadata (Avro ItemMetadata)");
  public static final ConfigOption<String> TOPIC_MODEL_UPDATES =
      topic("model-updates", "the model-update feed (Avro GradientCheckpoint)");
  public static final ConfigOption<String> TOPIC_METRICS =
      topic("metrics", "prequential metrics (Avro MetricSnapshot)");
  public static final ConfigOption<String> TOPIC_DEAD_LETTERS =
      topic("dead-letters", "rejected records with the reason (Avro DeadLetter)");
  public static final ConfigOption<String> TOPIC_RECOMMENDATIONS =
      topic(
          "recommendations",
          "every user's latest list, keyed by user, and the global fallback list for unknown users,"
              + " keyed \"\" (Avro RecommendationList)");

  public static final ConfigOption<OutputFormat> OUTPUT_FORMAT_RECOMMENDATIONS =
      outputFormat("recommendations", "RecommendationList");
  public static final ConfigOption<OutputFormat> OUTPUT_FORMAT_METRICS =
      outputFormat("metrics", "MetricSnapshot");
  public static final ConfigOption<OutputFormat> OUTPUT_FORMAT_MODEL_UPDATES =
      outputFormat("model-updates", "GradientCheckpoint");

  public static final ConfigOption<Integer> OUTPUT_MAX_RECORD_BYTES =
      key(PREFIX + "output.max-record-bytes")
          .intType()
          .defaultValue(1_000_000)
          .withDescription(
              "Largest record value the job writes to Kafka. A model-update checkpoint larger than"
                  + " this is published in parts (GradientCheckpoint.part, parts); a dead letter"
                  + " keeps the first bytes of its payload and says so in its detail. The default"
                  + " fits Kafka's default limits (producer max.request.size and topic"
                  + " max.message.bytes, about 1 MiB); to raise it, raise both (the producer's"
                  + " through personalize.kafka.max.request.size).");

  // ---- Schema registry (input records in the Confluent wire format)

  public static final ConfigOption<String> SCHEMA_REGISTRY_URL =
      key(PREFIX + "schema-registry.url")
          .stringType()
          .defaultValue("")
          .withDescription(
              "API root of a Confluent-compatible schema registry (e.g. http://registry:8081, or"
                  + " http://registry:8080/apis/ccompat/v7 for Apicurio), from which input records"
                  + " in the schema-registry wire format (first byte 00, then the schema id) get"
                  + " their writer schema: GET {url}/schemas/ids/{id}. Empty: none, and such a"
                  + " record is a REGISTRY_UNAVAILABLE dead letter. Credentials go in username and"
                  + " password, not in the URL (docs/formats.md).");

  public static final ConfigOption<String> SCHEMA_REGISTRY_USERNAME =
      key(PREFIX + "schema-registry.username")
          .stringType()
          .defaultValue("")
          .withDescription("User for HTTP basic auth with the schema registry; empty for none.");

  public static final ConfigOption<String> SCHEMA_REGISTRY_PASSWORD =
      key(PREFIX + "schema-registry.password")
          .stringType()
          .defaultValue("")
          .withDescription(
              "Password for HTTP basic auth with the schema registry. Never logged: Flink masks"
                  + " values whose key contains \"password\".");

  public static final ConfigOption<Integer> SCHEMA_REGISTRY_CACHE_SIZE =
      key(PREFIX + "schema-registry.cache-size")
          .intType()
          .defaultValue(1000)
          .withDescription(
              "Writer schemas kept per TaskManager, by id (the least recently used go first). An"
                  + " id never changes meaning, so a kept schema is never fetched again.");

  public static final ConfigOption<Duration> SCHEMA_REGISTRY_REQUEST_TIMEOUT =
      key(PREFIX + "schema-registry.request-timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription("The longest one request to the schema registry may take.");

  public static final ConfigOption<Duration> SCHEMA_REGISTRY_MAX_WAIT =
      key(PREFIX + "schema-registry.max-wait")
          .durationType()
          .defaultValue(Duration.ofSeconds(60))
          .withDescription(
              "While the schema registry does not answer, a record that needs a schema not yet"
                  + " kept waits, asking again with backoff, until the outage is this old; from"
                  + " then on such records are REGISTRY_UNAVAILABLE dead letters (to replay later)"
                  + " until the registry answers again. The job never fails for the registry.");

  private static ConfigOption<OutputFormat> outputFormat(String topic, String record) {
    return key(PREFIX + "output." + topic + ".format")
        .enumType(OutputFormat.class)
        .defaultValue(OutputFormat.AVRO)
        .withDescription(
            "How the job writes the "
                + topic
                + " topic: AVRO (single-object encoding) or JSON (one plain JSON object per"
                + " record, with the field names of the "
                + record
                + " schema; docs/formats.md). The engine's own readers read both; a consumer"
                + " outside it must expect the format chosen.");
  }

  private static ConfigOption<String> topic(String name, String what) {
    return key(PREFIX + "topic." + name)
        .stringType()
        .defaultValue(name)
        .withDescription("Topic of " + what + ".");
  }

  // ---- Model

  public static final ConfigOption<ModelKind> MODEL_KIND =
      key(PREFIX + "model.kind")
          .enumType(ModelKind.class)
          .defaultValue(ModelKind.HYBRID)
          .withDescription(
              "HYBRID (biased MF plus global and personal item-feature weights) or MF; the"
                  + " evaluator also runs LOGISTIC (regression over item features, like-signal).");

  public static final ConfigOption<Integer> MODEL_FACTORS =
      key(PREFIX + "model.factors")
          .intType()
          .defaultValue(32)
          .withDescription(
              "k, latent factors per user and item (the evaluator's batch protocol: "
                  + io.personalize.model.ModelConfig.BATCH_FACTORS
                  + " unless given, with model.learn-settings=true).");

  public static final ConfigOption<Integer> MODEL_GROUPS =
      key(PREFIX + "model.groups")
          .intType()
          .defaultValue(7)
          .withDescription("C, user groups by log event count; each learns its own setting.");

  public static final ConfigOption<Long> MODEL_SEED =
      key(PREFIX + "model.seed")
          .longType()
          .defaultValue(42L)
          .withDescription("Seed of the deterministic initial factors (and of shuffles).");

  public static final ConfigOption<Boolean> MODEL_LEARN_SETTINGS =
      key(PREFIX + "model.learn-settings")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Learn settings from the stream (docs/method.md): the global step sizes by races of"
                  + " shadow models, larger early steps for new users and items, a new user's"
                  + " initial row by meta-learning, and the global row as a candidate of every"
                  + " group (batch protocols: the global-row candidate; the random batch split"
                  + " also chooses SGD or AdaGrad on 5 validation folds). false: the"
                  + " configured steps, as measured before these were learned.");

  public static final ConfigOption<Double> MODEL_CANDIDATE_SHARE =
      key(PREFIX + "model.candidate-share")
          .doubleType()
          .defaultValue(io.personalize.model.SelfTuning.DEFAULT_CANDIDATE_SHARE)
          .withDescription(
              "Share of the users (drawn by a hash of the user id) that keep a personal block per"
                  + " adaptive candidate and are the evidence of each group's choice; every other"
                  + " user keeps one personal block, stepped at its group's best personal"
                  + " candidate, and predicts with the group's choice. The recommendations'"
                  + " ranking model keeps its candidates for the same share. 1: every user keeps"
                  + " every candidate. Used with model.learn-settings=true; without, every user"
                  + " keeps every candidate.");

  public static final ConfigOption<Boolean> MODEL_NEIGHBOURS =
      key(PREFIX + "model.neighbours")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Correct the adaptive mode's rating predictions by the user's earlier items most"
                  + " similar to the item (item-kNN on the model's residuals, docs/method.md): in"
                  + " the job, per-user history state and an item-keyed operator of partner sums"
                  + " (docs/architecture.md), at a cost in throughput (docs/performance.md).");

  public static final ConfigOption<Integer> MODEL_NEIGHBOURS_HISTORY =
      key(PREFIX + "model.neighbours.history")
          .intType()
          .defaultValue(io.personalize.neighbours.NeighbourSettings.DEFAULT_HISTORY)
          .withDescription(
              "With model.neighbours: a user's latest rated items kept with their residuals, the"
                  + " candidates for neighbours; each rating pairs with all of them.");

  public static final ConfigOption<Integer> MODEL_NEIGHBOURS_PARTNERS =
      key(PREFIX + "model.neighbours.partners")
          .intType()
          .defaultValue(io.personalize.neighbours.NeighbourSettings.DEFAULT_PARTNERS)
          .withDescription(
              "With model.neighbours: the partner items an item keeps residual sums with; a new"
                  + " partner beyond them replaces the one with the fewest common raters.");

  public static final ConfigOption<Integer> MODEL_REGROUP_EVERY_EVENTS =
      key(PREFIX + "model.regroup-every-events")
          .intType()
          .defaultValue(1000)
          .withDescription("The group boundaries are recomputed after this many events.");

  public static final ConfigOption<Double> RATING_MIN =
      key(PREFIX + "rating.min")
          .doubleType()
          .defaultValue(1.0)
          .withDescription("Lowest valid rating; lower ones are dead letters.");

  public static final ConfigOption<Double> RATING_MAX =
      key(PREFIX + "rating.max")
          .doubleType()
          .defaultValue(5.0)
          .withDescription("Highest valid rating; predictions are clamped to the scale.");

  public static final ConfigOption<List<String>> FEATURE_GENRES =
      key(PREFIX + "features.genres")
          .stringType()
          .asList()
          .defaultValues(FeatureSpace.MOVIELENS_GENRES.toArray(new String[0]))
          .withDescription(
              "Genre vocabulary of the item features (default: the MovieLens genres);"
                  + " other genres are hashed.");

  public static final ConfigOption<Integer> FEATURE_HASH_BUCKETS =
      key(PREFIX + "features.hash-buckets")
          .intType()
          .defaultValue(16)
          .withDescription("Buckets for hashed item features (unknown genres, open features).");

  public static final ConfigOption<Boolean> SHADOW_MODES =
      key(PREFIX + "shadow-modes")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Also score the local and mtl modes beside adaptive and global, for comparison.");

  public static final ConfigOption<Double> SHADOW_SHARE =
      key(PREFIX + "shadow-share")
          .doubleType()
          .defaultValue(0.5)
          .withDescription(
              "Share of the users (drawn by a hash of the user id) that the shadow modes score and"
                  + " keep blocks for: their figures on the metrics topic are over those users, and"
                  + " every other user costs two blocks less (docs/performance.md). 1: every user."
                  + " The evaluator scores every user.");

  public static final ConfigOption<Long> SAMPLE_MAX_USERS =
      key(PREFIX + "sample.max-users")
          .longType()
          .defaultValue(UserSample.DEFAULT_MAX_USERS)
          .withDescription(
              "About how many users each sample of users keeps at most: the adaptive candidates'"
                  + " (model.candidate-share) and the shadow modes' (shadow-share). Once the group"
                  + " coordinator counts more users than a share takes this many of, the share"
                  + " shrinks to this many over the users counted; a user the smaller share no"
                  + " longer draws drops its extra blocks at its next event and does not come back."
                  + " A share of 1 is every user and is not bounded; the ranking model's candidates"
                  + " keep their share. Every evaluation data set stays under the bound at the"
                  + " default (docs/method.md).");

  // ---- Global model and coordinator

  public static final ConfigOption<Integer> MODEL_UPDATES_EVERY_EVENTS =
      key(PREFIX + "model-updates.every-events")
          .intType()
          .defaultValue(100)
          .withDescription(
              "The global model closes a gradient checkpoint after this many events...");

  public static final ConfigOption<Duration> MODEL_UPDATES_EVERY =
      key(PREFIX + "model-updates.every")
          .durationType()
          .defaultValue(Duration.ofSeconds(1))
          .withDescription("... or after this long (processing time), whichever comes first.");

  public static final ConfigOption<Integer> MAX_USERS =
      key(PREFIX + "max-users")
          .intType()
          .defaultValue(1_000_000)
          .withDescription(
              "Users the single-instance operators keep (global user rows, coordinator counts,"
                  + " metrics); the least recently seen are dropped first (the metrics keep their"
                  + " sums in totals of users gone).");

  // ---- Event time

  public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
      key(PREFIX + "event-time.max-out-of-orderness")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription("Watermark bound on how late (event time) an event may arrive.");

  public static final ConfigOption<Duration> MAX_RUN_AHEAD =
      key(PREFIX + "event-time.max-run-ahead")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription(
              "A rating further ahead of the watermark than this plus max-out-of-orderness waits,"
                  + " in the global model and in the per-user models (in memory: at most 1 s of"
                  + " wall-clock time and 20,000 ratings a subtask), until the watermark comes"
                  + " within that distance: the global model learns in event-time order, and a"
                  + " rating is scored with the global model's learning up to shortly before it. A"
                  + " backlog replay reads far ahead of the global model; live events pass at once."
                  + " With 3650 d a rating waits only for the job's first watermark.");

  public static final ConfigOption<Duration> IDLENESS =
      key(PREFIX + "event-time.idleness")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription("A source partition without events this long stops holding watermarks.");

  public static final ConfigOption<Duration> MAX_PARTITION_DRIFT =
      key(PREFIX + "event-time.max-partition-drift")
          .durationType()
          .defaultValue(Duration.ofDays(1))
          .withDescription(
              "How far (event time) one partition's reader may run ahead of the slowest; a faster"
                  + " one waits, which keeps the per-user replicas fresh.");

  public static final ConfigOption<Duration> MAX_FUTURE =
      key(PREFIX + "event-time.max-future")
          .durationType()
          .defaultValue(Duration.ofDays(1))
          .withDescription("Events further than this ahead of the wall clock are dead letters.");

  // ---- Users

  public static final ConfigOption<Duration> USER_IDLE_EXPIRY =
      key(PREFIX + "users.idle-expiry")
          .durationType()
          .defaultValue(Duration.ofDays(365))
          .withDescription(
              "A user without events for this long in event time (the watermark, not the wall"
                  + " clock) is forgotten: per-user state, and the user's rows in the global"
                  + " models and count in the group coordinator, and the prequential metrics move"
                  + " the user's sums into their totals of users gone (at the latest event time).");

  public static final ConfigOption<Integer> RECENT_ITEMS =
      key(PREFIX + "users.recent-items")
          .intType()
          .defaultValue(20)
          .withDescription(
              "Latest items the recommendation operator keeps per user: where its walks start.");

  // ---- Outputs and the job

  public static final ConfigOption<Duration> METRICS_INTERVAL =
      key(PREFIX + "metrics.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription("Prequential metrics are published this often (processing time).");

  public static final ConfigOption<Integer> PARALLELISM =
      key(PREFIX + "parallelism")
          .intType()
          .defaultValue(2)
          .withDescription(
              "Parallelism of the keyed operators and sources (the global model, coordinator and"
                  + " metrics run at 1).");

  private static final Duration MIN_METRICS_INTERVAL = Duration.ofMillis(100);

  /** Every setting of the job, in documentation order. */
  public static final List<Setting<?>> ALL =
      java.util.stream.Stream.concat(
              List.<Setting<?>>of(
                  Setting.of(BOOTSTRAP_SERVERS, s -> !s.isBlank(), "non-empty"),
                  Setting.of(CONSUMER_GROUP, s -> !s.isBlank(), "non-empty"),
                  Setting.of(START_FROM),
                  Setting.of(CREATE_TOPICS),
                  Setting.of(TOPIC_INTERACTIONS, s -> !s.isBlank(), "non-empty"),
                  Setting.of(TOPIC_ITEMS, s -> !s.isBlank(), "non-empty"),
                  Setting.of(TOPIC_MODEL_UPDATES, s -> !s.isBlank(), "non-empty"),
                  Setting.of(TOPIC_METRICS, s -> !s.isBlank(), "non-empty"),
                  Setting.of(TOPIC_DEAD_LETTERS, s -> !s.isBlank(), "non-empty"),
                  Setting.of(TOPIC_RECOMMENDATIONS, s -> !s.isBlank(), "non-empty"),
                  Setting.of(OUTPUT_FORMAT_RECOMMENDATIONS),
                  Setting.of(OUTPUT_FORMAT_METRICS),
                  Setting.of(OUTPUT_FORMAT_MODEL_UPDATES),
                  Setting.of(
                      OUTPUT_MAX_RECORD_BYTES,
                      n -> n >= 65_536 && n <= 1 << 30,
                      "65536..1073741824 (64 KiB to 1 GiB)"),
                  Setting.of(
                      SCHEMA_REGISTRY_URL,
                      u -> RegistrySettings.urlProblem(u) == null,
                      "empty or an http(s) URL without credentials in it"),
                  Setting.of(SCHEMA_REGISTRY_USERNAME, u -> !u.contains(":"), "without ':'"),
                  Setting.of(SCHEMA_REGISTRY_PASSWORD),
                  Setting.of(
                      SCHEMA_REGISTRY_CACHE_SIZE, n -> n >= 1 && n <= 1_000_000, "1..1000000"),
                  Setting.of(
                      SCHEMA_REGISTRY_REQUEST_TIMEOUT,
                      d -> d.toMillis() >= 1 && d.compareTo(Duration.ofMinutes(10)) <= 0,
                      "1 ms..10 min"),
                  Setting.of(
                      SCHEMA_REGISTRY_MAX_WAIT,
                      d -> !d.isNegative() && d.compareTo(Duration.ofHours(1)) <= 0,
                      "0..1 h"),
                  Setting.of(
                      MODEL_KIND,
                      k -> k.defaultLoss() == io.personalize.model.Loss.SQUARED,
                      "HYBRID or MF (the job learns ratings, with the squared loss)"),
                  Setting.of(MODEL_FACTORS, k -> k >= 1 && k <= 1024, "1..1024"),
                  Setting.of(MODEL_GROUPS, c -> c >= 1 && c <= 100, "1..100"),
                  Setting.of(MODEL_SEED),
                  Setting.of(MODEL_REGROUP_EVERY_EVENTS, n -> n >= 1, ">= 1"),
                  Setting.of(MODEL_LEARN_SETTINGS),
                  Setting.of(MODEL_CANDIDATE_SHARE, s -> s > 0 && s <= 1, "(0, 1]"),
                  Setting.of(MODEL_NEIGHBOURS),
                  Setting.of(MODEL_NEIGHBOURS_HISTORY, n -> n >= 1 && n <= 10_000, "1..10000"),
                  Setting.of(MODEL_NEIGHBOURS_PARTNERS, n -> n >= 1 && n <= 100_000, "1..100000"),
                  Setting.of(RATING_MIN, Double::isFinite, "finite"),
                  Setting.of(RATING_MAX, Double::isFinite, "finite, >= rating.min"),
                  Setting.of(
                      FEATURE_GENRES, g -> g.stream().noneMatch(String::isBlank), "no blank genre"),
                  Setting.of(FEATURE_HASH_BUCKETS, n -> n >= 1, ">= 1"),
                  Setting.of(SHADOW_MODES),
                  Setting.of(SHADOW_SHARE, s -> s > 0 && s <= 1, "(0, 1]"),
                  Setting.of(SAMPLE_MAX_USERS, n -> n >= 1, ">= 1"),
                  Setting.of(MODEL_UPDATES_EVERY_EVENTS, n -> n >= 1, ">= 1"),
                  Setting.of(MODEL_UPDATES_EVERY, d -> d.toMillis() >= 1, ">= 1 ms"),
                  Setting.of(MAX_USERS, n -> n >= 1, ">= 1"),
                  Setting.of(MAX_OUT_OF_ORDERNESS, d -> !d.isNegative(), ">= 0"),
                  Setting.of(MAX_RUN_AHEAD, d -> !d.isNegative(), ">= 0"),
                  Setting.of(IDLENESS, d -> d.toMillis() >= 1, ">= 1 ms"),
                  Setting.of(MAX_PARTITION_DRIFT, d -> d.toMillis() >= 1, ">= 1 ms"),
                  Setting.of(MAX_FUTURE, d -> !d.isNegative(), ">= 0"),
                  Setting.of(USER_IDLE_EXPIRY, d -> d.toMillis() >= 1, ">= 1 ms"),
                  Setting.of(RECENT_ITEMS, n -> n >= 0 && n <= 10_000, "0..10000"),
                  Setting.of(
                      METRICS_INTERVAL, d -> d.compareTo(MIN_METRICS_INTERVAL) >= 0, ">= 100 ms"),
                  Setting.of(PARALLELISM, p -> p >= 1, ">= 1"))
                  .stream(),
              RecommendationOptions.ALL.stream())
          .toList();

  /** The option of every setting in {@link #ALL} but {@code except}: a command's setting flags. */
  public static List<ConfigOption<?>> optionsExcept(ConfigOption<?>... except) {
    List<ConfigOption<?>> left = List.of(except);
    return ALL.stream()
        .<ConfigOption<?>>map(Setting::option)
        .filter(o -> !left.contains(o))
        .toList();
  }

  /** The settings the evaluator shares with the job (the model and its item features). */
  public static final List<ConfigOption<?>> MODEL =
      List.of(
          MODEL_KIND,
          MODEL_FACTORS,
          MODEL_GROUPS,
          MODEL_SEED,
          MODEL_REGROUP_EVERY_EVENTS,
          MODEL_LEARN_SETTINGS,
          MODEL_CANDIDATE_SHARE,
          SAMPLE_MAX_USERS,
          MODEL_NEIGHBOURS,
          MODEL_NEIGHBOURS_HISTORY,
          MODEL_NEIGHBOURS_PARTNERS,
          FEATURE_GENRES,
          FEATURE_HASH_BUCKETS);

  /** The setting of {@code option}. */
  public static Setting<?> setting(ConfigOption<?> option) {
    for (Setting<?> setting : ALL) {
      if (setting.option().equals(option)) {
        return setting;
      }
    }
    throw new IllegalArgumentException("not a setting: " + option.key());
  }
}
