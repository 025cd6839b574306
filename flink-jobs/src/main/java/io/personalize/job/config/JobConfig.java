package io.personalize.job.config;

import static io.personalize.job.config.PersonalizeOptions.*;

import io.personalize.connectors.config.Setting;
import io.personalize.connectors.registry.RegistrySettings;
import io.personalize.graph.GraphSettings;
import io.personalize.graph.WalkSettings;
import io.personalize.model.Loss;
import io.personalize.model.Mode;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import io.personalize.model.RatingScale;
import io.personalize.model.features.FeatureSpace;
import io.personalize.neighbours.NeighbourSettings;
import io.personalize.rank.NegativeSampling;
import io.personalize.rank.SignalWeights;
import io.personalize.recommend.ListSettings;
import io.personalize.recommend.RecommendationDefaults;
import io.personalize.recommend.RecommenderKind;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The job's settings ({@link PersonalizeOptions}), read from a Flink configuration and validated
 * once, plus what is derived from them (the model's hyper-parameters, the rating scale, the item
 * feature space). Operators receive it serialized with the job graph.
 */
public final class JobConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Configuration conf;
  private final TreeMap<String, String> kafkaClientProperties;

  private JobConfig(Configuration conf, Map<String, String> kafkaClientProperties) {
    this.conf = conf;
    this.kafkaClientProperties = new TreeMap<>(kafkaClientProperties);
  }

  /**
   * The job's settings in {@code config}; unset ones take their defaults.
   *
   * @throws IllegalArgumentException naming the first setting whose value breaks its rule
   */
  public static JobConfig from(ReadableConfig config) {
    UnknownSettings.refuse(config.toMap().keySet());
    Configuration copy = new Configuration();
    for (Setting<?> setting : PersonalizeOptions.ALL) {
      copy(setting, config, copy);
    }
    if (copy.get(RATING_MAX) < copy.get(RATING_MIN)) {
      throw new IllegalArgumentException(
          RATING_MAX.key()
              + " must be >= "
              + RATING_MIN.key()
              + ", was "
              + copy.get(RATING_MAX)
              + " < "
              + copy.get(RATING_MIN));
    }
    JobConfig result =
        new JobConfig(copy, PersonalizeOptions.kafkaClientProperties(config.toMap()));
    try {
      result.listSettings();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          RecommendationOptions.CANDIDATES.key()
              + " and "
              + RecommendationOptions.MMR_POOL.key()
              + " must be >= "
              + RecommendationOptions.LENGTH.key()
              + ": "
              + e.getMessage(),
          e);
    }
    return result;
  }

  private static <T> void copy(Setting<T> setting, ReadableConfig from, Configuration to) {
    to.set(setting.option(), setting.read(from));
  }

  /** Every setting at its default. */
  public static JobConfig defaults() {
    return from(new Configuration());
  }

  /** This configuration with one setting changed (validated). */
  public <T> JobConfig with(ConfigOption<T> option, T value) {
    Configuration changed = toConfiguration();
    changed.set(option, value);
    return from(changed);
  }

  public <T> T get(ConfigOption<T> option) {
    return conf.get(option);
  }

  /** The settings as a Flink configuration (a copy), Kafka client settings included. */
  public Configuration toConfiguration() {
    Configuration copy = new Configuration(conf);
    kafkaClientProperties.forEach(
        (key, value) -> copy.setString(PersonalizeOptions.KAFKA_CLIENT_PREFIX + key, value));
    return copy;
  }

  /**
   * Extra settings of every Kafka client of the job (sources, sinks, topic creation): the {@code
   * personalize.kafka.*} keys without the prefix, e.g. {@code security.protocol}.
   */
  public Map<String, String> kafkaClientProperties() {
    return Collections.unmodifiableMap(kafkaClientProperties);
  }

  public String bootstrapServers() {
    return conf.get(BOOTSTRAP_SERVERS);
  }

  public int parallelism() {
    return conf.get(PARALLELISM);
  }

  public long millis(ConfigOption<Duration> option) {
    return conf.get(option).toMillis();
  }

  /** The shadow modes the per-user operator scores beside adaptive ({@code shadow-modes}). */
  public Set<Mode> shadowModes() {
    return conf.get(SHADOW_MODES) ? EnumSet.of(Mode.LOCAL, Mode.MTL) : EnumSet.noneOf(Mode.class);
  }

  /** The share of the users the shadow modes score ({@code shadow-share}). */
  public double shadowShare() {
    return conf.get(SHADOW_SHARE);
  }

  /**
   * The modes the job scores for every event and reports on the metrics topic: global, adaptive,
   * and the shadow modes when they score every user ({@code shadow-share} 1). What a reader of that
   * topic waits for; the shadow modes of a sample count fewer events.
   */
  public Set<Mode> scoredModes() {
    Set<Mode> modes = shadowShare() >= 1 ? shadowModes() : EnumSet.noneOf(Mode.class);
    modes.add(Mode.GLOBAL);
    modes.add(Mode.ADAPTIVE);
    return modes;
  }

  /** The model's hyper-parameters: the tuned stream defaults of the kind, with these settings. */
  public ModelConfig model() {
    ModelKind kind = conf.get(MODEL_KIND);
    Loss loss = kind.defaultLoss();
    ModelConfig defaults =
        conf.get(MODEL_LEARN_SETTINGS)
            ? ModelConfig.defaults(kind, loss, true)
                .withCandidateShare(conf.get(MODEL_CANDIDATE_SHARE))
            : ModelConfig.defaultsWithoutLearning(kind, loss, true);
    return defaults.toBuilder()
        .factors(conf.get(MODEL_FACTORS))
        .groups(conf.get(MODEL_GROUPS))
        .seed(conf.get(MODEL_SEED))
        .regroupEvery(conf.get(MODEL_REGROUP_EVERY_EVENTS))
        .neighbours(neighbours())
        .build();
  }

  /** The item-neighbourhood correction of adaptive's predictions, or null when off. */
  public NeighbourSettings neighbours() {
    return conf.get(MODEL_NEIGHBOURS)
        ? new NeighbourSettings(
            NeighbourSettings.DEFAULT_NEIGHBOURS,
            conf.get(MODEL_NEIGHBOURS_HISTORY),
            conf.get(MODEL_NEIGHBOURS_PARTNERS),
            NeighbourSettings.DEFAULT_WEIGHT)
        : null;
  }

  /** The schema registry of registry-framed input records ({@link RegistrySettings#enabled()}). */
  public RegistrySettings schemaRegistry() {
    return new RegistrySettings(
        conf.get(SCHEMA_REGISTRY_URL),
        conf.get(SCHEMA_REGISTRY_USERNAME),
        conf.get(SCHEMA_REGISTRY_PASSWORD),
        conf.get(SCHEMA_REGISTRY_CACHE_SIZE),
        conf.get(SCHEMA_REGISTRY_REQUEST_TIMEOUT),
        conf.get(SCHEMA_REGISTRY_MAX_WAIT));
  }

  public RatingScale scale() {
    return new RatingScale(conf.get(RATING_MIN), conf.get(RATING_MAX));
  }

  public FeatureSpace featureSpace() {
    return new FeatureSpace(conf.get(FEATURE_GENRES), conf.get(FEATURE_HASH_BUCKETS));
  }

  /** The untrained model's mean: the middle of the rating scale. */
  public double initialMean() {
    return scale().midpoint();
  }

  public boolean recommends() {
    return conf.get(RecommendationOptions.ENABLED);
  }

  /** The "will interact" model that goes with {@link #model()}. */
  public ModelConfig rankingModel() {
    return RecommendationDefaults.rankingModel(model());
  }

  public GraphSettings graphSettings() {
    return new GraphSettings(
        millis(RecommendationOptions.GRAPH_WINDOW),
        millis(RecommendationOptions.GRAPH_HALF_LIFE),
        conf.get(RecommendationOptions.GRAPH_MIN_WEIGHT),
        conf.get(RecommendationOptions.GRAPH_MAX_NEIGHBORS),
        conf.get(RecommendationOptions.GRAPH_RECENT_ITEMS),
        conf.get(RecommendationOptions.GRAPH_GAP_EXPONENT));
  }

  public WalkSettings walkSettings() {
    return new WalkSettings(
        conf.get(RecommendationOptions.WALK_VISITS),
        conf.get(RecommendationOptions.WALK_STEPS),
        conf.get(RecommendationOptions.WALK_RESTART),
        conf.get(RecommendationOptions.WALK_MAX_LENGTH),
        conf.get(RecommendationOptions.WALK_POPULARITY_EXPONENT),
        conf.get(RecommendationOptions.WALK_RECENCY_HALF_LIFE));
  }

  public ListSettings listSettings() {
    return new ListSettings(
        RecommenderKind.parse(conf.get(RecommendationOptions.RECOMMENDER)),
        conf.get(RecommendationOptions.LENGTH),
        conf.get(RecommendationOptions.CANDIDATES),
        conf.get(RecommendationOptions.MMR_BETA),
        conf.get(RecommendationOptions.MMR_POOL),
        conf.get(RecommendationOptions.EXCLUDE_SEEN));
  }

  public SignalWeights signalWeights() {
    return SignalWeights.parse(conf.get(RecommendationOptions.RANKING_SIGNAL_WEIGHTS));
  }

  public NegativeSampling negativeSampling() {
    return NegativeSampling.parse(conf.get(RecommendationOptions.RANKING_NEGATIVE_SAMPLING));
  }

  @Override
  public String toString() {
    return "JobConfig" + conf;
  }
}
