package io.personalize.job.config;

import static io.personalize.job.config.PersonalizeOptions.*;

import io.personalize.model.Loss;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import io.personalize.model.RatingScale;
import io.personalize.model.features.FeatureSpace;
import java.io.Serializable;
import java.time.Duration;
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

  private JobConfig(Configuration conf) {
    this.conf = conf;
  }

  /**
   * The job's settings in {@code config}; unset ones take their defaults.
   *
   * @throws IllegalArgumentException naming the first setting whose value breaks its rule
   */
  public static JobConfig from(ReadableConfig config) {
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
    return new JobConfig(copy);
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
    Configuration changed = new Configuration(conf);
    changed.set(option, value);
    return from(changed);
  }

  public <T> T get(ConfigOption<T> option) {
    return conf.get(option);
  }

  /** The settings as a Flink configuration (a copy). */
  public Configuration toConfiguration() {
    return new Configuration(conf);
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

  /** The model's hyper-parameters: the tuned stream defaults of the kind, with these settings. */
  public ModelConfig model() {
    ModelKind kind = conf.get(MODEL_KIND);
    Loss loss = kind.defaultLoss();
    return ModelConfig.defaults(kind, loss, true).toBuilder()
        .factors(conf.get(MODEL_FACTORS))
        .groups(conf.get(MODEL_GROUPS))
        .seed(conf.get(MODEL_SEED))
        .regroupEvery(conf.get(MODEL_REGROUP_EVERY_EVENTS))
        .build();
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

  @Override
  public String toString() {
    return "JobConfig" + conf;
  }
}
