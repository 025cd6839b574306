package io.personalize.job.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.personalize.connectors.config.Setting;
import io.personalize.model.Loss;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The settings only the evaluator has ({@code personalize evaluate}); the model's settings it
 * shares with the job are {@link PersonalizeOptions#MODEL}. Flags drop {@link #PREFIX}: {@code
 * personalize.evaluate.epochs} is {@code --epochs}.
 */
public final class EvaluatorOptions {
  private EvaluatorOptions() {}

  public static final String PREFIX = PersonalizeOptions.PREFIX + "evaluate.";

  private static final ModelConfig BATCH =
      ModelConfig.defaults(ModelKind.HYBRID, Loss.SQUARED, false);

  public static final ConfigOption<String> PROTOCOL =
      key(PREFIX + "protocol")
          .stringType()
          .defaultValue("prequential")
          .withDescription(
              "prequential | batch | user-split (ratings); leave-last-out | prequential-topn |"
                  + " session (recommendation lists, docs/recommendations.md).");

  public static final ConfigOption<String> TARGET =
      key(PREFIX + "target")
          .stringType()
          .noDefaultValue()
          .withDescription("rating | like (default: like for LOGISTIC, rating otherwise).");

  public static final ConfigOption<List<String>> MODES =
      key(PREFIX + "modes")
          .stringType()
          .asList()
          .noDefaultValue()
          .withDescription(
              "Modes to run, separated by ';' (default: all the protocol supports): global,"
                  + " local, mtl, adaptive, adaptive-paper, adaptive-paper-reverse.");

  public static final ConfigOption<Integer> EPOCHS =
      key(PREFIX + "epochs")
          .intType()
          .defaultValue(BATCH.epochs())
          .withDescription("T, epochs of global training in the batch protocols.");

  public static final ConfigOption<Integer> PERSONAL_EPOCHS =
      key(PREFIX + "personal-epochs")
          .intType()
          .defaultValue(BATCH.personalEpochs())
          .withDescription("Epochs of own steps of the personal modes in the batch protocols.");

  public static final ConfigOption<Double> RATE_SCALE =
      key(PREFIX + "rate-scale")
          .doubleType()
          .defaultValue(1.0)
          .withDescription("Multiplies every default SGD step size of the global model.");

  public static final ConfigOption<Double> LIKE_THRESHOLD =
      key(PREFIX + "like-threshold")
          .doubleType()
          .defaultValue(4.0)
          .withDescription("A rating at or above this is a like (target like).");

  public static final ConfigOption<Double> TEST_FRACTION =
      key(PREFIX + "test-fraction")
          .doubleType()
          .defaultValue(0.2)
          .withDescription("Test share of the batch and user-split protocols.");

  public static final ConfigOption<List<String>> RECOMMENDERS =
      key(PREFIX + "recommenders")
          .stringType()
          .asList()
          .defaultValues("popularity", "walks", "personal", "walks+rank", "walks+rank+mmr")
          .withDescription(
              "Recommenders the top-N protocols score side by side, separated by ';' (every"
                  + " other recommendation setting is the job's).");

  public static final ConfigOption<Integer> SAMPLED_ITEMS =
      key(PREFIX + "sampled-items")
          .intType()
          .defaultValue(100)
          .withDescription(
              "leave-last-out: items the held-out item is ranked among for the sampled HR and"
                  + " nDCG (seeded, never one the user interacted with).");

  public static final ConfigOption<Integer> RANKING_EPOCHS =
      key(PREFIX + "ranking-epochs")
          .intType()
          .defaultValue(io.personalize.eval.TopNSettings.DEFAULT_EPOCHS)
          .withDescription(
              "leave-last-out: passes of the ranking model (global and personal) over the"
                  + " training events; the stream protocols make one, as the job does.");

  /** Every evaluator-only setting with its rule, in documentation order. */
  public static final List<Setting<?>> SETTINGS =
      List.of(
          Setting.of(PROTOCOL),
          Setting.of(TARGET),
          Setting.of(MODES),
          Setting.of(EPOCHS, n -> n >= 1, ">= 1"),
          Setting.of(PERSONAL_EPOCHS, n -> n >= 0, ">= 0"),
          Setting.of(RATE_SCALE, x -> x > 0 && Double.isFinite(x), "> 0"),
          Setting.of(LIKE_THRESHOLD, Double::isFinite, "a number"),
          Setting.of(TEST_FRACTION, x -> x > 0 && x < 1, "in (0, 1)"),
          Setting.of(RECOMMENDERS),
          Setting.of(SAMPLED_ITEMS, n -> n >= 1, ">= 1"),
          Setting.of(RANKING_EPOCHS, n -> n >= 1, ">= 1"));

  /** Every evaluator-only option, in documentation order. */
  public static final List<ConfigOption<?>> ALL =
      SETTINGS.stream().<ConfigOption<?>>map(Setting::option).toList();

  /**
   * Checks every evaluator setting with a rule in {@code config} against it (the others are checked
   * as they are parsed: a protocol, a mode, a recommender).
   */
  public static void check(ReadableConfig config) {
    SETTINGS.stream().filter(setting -> !setting.rule().isEmpty()).forEach(s -> s.read(config));
  }
}
