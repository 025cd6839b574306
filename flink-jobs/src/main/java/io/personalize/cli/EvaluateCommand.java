package io.personalize.cli;

import static io.personalize.job.config.EvaluatorOptions.EPOCHS;
import static io.personalize.job.config.EvaluatorOptions.LIKE_THRESHOLD;
import static io.personalize.job.config.EvaluatorOptions.MODES;
import static io.personalize.job.config.EvaluatorOptions.PERSONAL_EPOCHS;
import static io.personalize.job.config.EvaluatorOptions.PROTOCOL;
import static io.personalize.job.config.EvaluatorOptions.RANKING_EPOCHS;
import static io.personalize.job.config.EvaluatorOptions.RATE_SCALE;
import static io.personalize.job.config.EvaluatorOptions.RECOMMENDERS;
import static io.personalize.job.config.EvaluatorOptions.SAMPLED_ITEMS;
import static io.personalize.job.config.EvaluatorOptions.TARGET;
import static io.personalize.job.config.EvaluatorOptions.TEST_FRACTION;
import static io.personalize.job.config.PersonalizeOptions.FEATURE_GENRES;
import static io.personalize.job.config.PersonalizeOptions.FEATURE_HASH_BUCKETS;
import static io.personalize.job.config.PersonalizeOptions.MODEL_CANDIDATE_SHARE;
import static io.personalize.job.config.PersonalizeOptions.MODEL_FACTORS;
import static io.personalize.job.config.PersonalizeOptions.MODEL_GROUPS;
import static io.personalize.job.config.PersonalizeOptions.MODEL_KIND;
import static io.personalize.job.config.PersonalizeOptions.MODEL_LEARN_SETTINGS;
import static io.personalize.job.config.PersonalizeOptions.MODEL_REGROUP_EVERY_EVENTS;
import static io.personalize.job.config.PersonalizeOptions.MODEL_SEED;
import static io.personalize.job.config.PersonalizeOptions.SAMPLE_MAX_USERS;

import io.personalize.connectors.config.Setting;
import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.SessionSplits;
import io.personalize.eval.Chart;
import io.personalize.eval.EvaluationConfig;
import io.personalize.eval.Evaluator;
import io.personalize.eval.EventLog;
import io.personalize.eval.Progress;
import io.personalize.eval.Protocol;
import io.personalize.eval.Report;
import io.personalize.eval.Summary;
import io.personalize.eval.Target;
import io.personalize.eval.TopNSettings;
import io.personalize.job.config.EvaluatorOptions;
import io.personalize.job.config.JobConfig;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.config.RecommendationOptions;
import io.personalize.model.Loss;
import io.personalize.model.Mode;
import io.personalize.model.ModelConfig;
import io.personalize.model.ModelKind;
import io.personalize.model.features.FeatureSpace;
import io.personalize.recommend.RecommenderKind;
import io.personalize.serving.config.SettingFlags;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code personalize evaluate}: measures every mode per user group on a data set. The model's
 * settings are the job's ({@link PersonalizeOptions#MODEL}, same names and flags); the rest are
 * {@link EvaluatorOptions}.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures the global, local, mtl, adaptive and adaptive-paper modes per user group"
          + " (rating protocols), or the recommenders' lists side by side (top-N protocols"
          + " leave-last-out, prequential-topn, session).",
      "Prints a table per metric, writes DIR/summary.json and DIR/chart.png."
    })
public final class EvaluateCommand implements Callable<Integer> {
  final SettingFlags settings = new SettingFlags();

  @Mixin DataSets.Options dataSet;

  @Option(
      names = "--out",
      defaultValue = "out/eval",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description = "Any setting by its key, e.g. -D personalize.model.factors=16.")
  Map<String, String> properties;

  @Option(names = "--no-progress", description = "Do not show progress.")
  boolean noProgress;

  @Option(names = "--no-chart", description = "Do not write chart.png.")
  boolean noChart;

  /** Adds a flag per evaluator and model setting; called when the command line is built. */
  static void addSettingFlags(CommandLine evaluate) {
    EvaluateCommand command = evaluate.getCommand();
    command.settings.addTo(
        evaluate.getCommandSpec(), EvaluatorOptions.ALL, EvaluatorOptions.PREFIX);
    command.settings.addTo(
        evaluate.getCommandSpec(), PersonalizeOptions.MODEL, PersonalizeOptions.PREFIX);
    command.settings.addTo(evaluate.getCommandSpec(), TOP_N_SETTINGS, PersonalizeOptions.PREFIX);
  }

  /** The job's settings the top-N protocols take too: the recommending half's and recent items. */
  static final List<ConfigOption<?>> TOP_N_SETTINGS = topNSettings();

  private static List<ConfigOption<?>> topNSettings() {
    List<ConfigOption<?>> options = new java.util.ArrayList<>();
    for (Setting<?> setting : RecommendationOptions.ALL) {
      ConfigOption<?> option = setting.option();
      if (option != RecommendationOptions.ENABLED
          && option != RecommendationOptions.GRAPH_UPDATES_EVERY
          && option != RecommendationOptions.GRAPH_PAIRS_COMBINE_WITHIN
          && option != RecommendationOptions.PUBLISH_INTERVAL
          && option != RecommendationOptions.GRAPH_UPDATES_EVERY_CHANGES) {
        options.add(option);
      }
    }
    options.add(PersonalizeOptions.RECENT_ITEMS);
    return List.copyOf(options);
  }

  @Override
  public Integer call() throws Exception {
    EvaluationConfig config = config();
    OutputDirectory.create(out);
    Dataset dataset = dataSet.load(config.model().seed());
    System.err.printf(
        "read %s (%s): %,d events%n",
        dataset.name(), dataset.layout(), dataset.interactions().size());
    if (config.protocol() == Protocol.SESSION
        && dataset.testStart() == dataset.interactions().size()) {
      dataset = SessionSplits.lastDays(dataset, SessionSplits.DIGINETICA_TEST_DAYS);
      System.err.printf(
          "split by the last %d days: %,d training and %,d test events%n",
          SessionSplits.DIGINETICA_TEST_DAYS,
          dataset.trainingPart().size(),
          dataset.testPart().size());
    }
    EventLog log = EventLog.of(dataset);
    Summary summary = Evaluator.evaluate(log, config, new Progress(System.err, !noProgress));
    Report.printTables(summary, System.out);
    Path json = Report.writeJson(summary, out);
    System.out.println();
    System.out.println("wrote " + json);
    if (!noChart) {
      System.out.println("wrote " + Chart.writePng(summary, out));
    }
    return 0;
  }

  EvaluationConfig config() {
    return config(settings.configuration(null, properties));
  }

  /** The evaluation that the settings in {@code conf} ask for, as the flags would. */
  public static EvaluationConfig config(Configuration conf) {
    EvaluatorOptions.check(conf);
    Protocol protocol = Protocol.parse(conf.get(PROTOCOL));
    ModelKind kind = modelKind(conf);
    Target target =
        conf.getOptional(TARGET)
            .map(Target::parse)
            .orElse(kind == ModelKind.LOGISTIC ? Target.LIKE : Target.RATING);
    Loss loss = target == Target.RATING ? Loss.SQUARED : Loss.LOGISTIC;
    // The job's settings the evaluator shares (the neighbourhoods, the recommending half).
    JobConfig job = JobConfig.from(withoutModelKind(conf));
    ModelConfig d =
        read(conf, MODEL_LEARN_SETTINGS)
            ? ModelConfig.defaults(kind, loss, protocol.isStream())
                .withCandidateShare(read(conf, MODEL_CANDIDATE_SHARE))
            : ModelConfig.defaultsWithoutLearning(kind, loss, protocol.isStream());
    ModelConfig hyper =
        d.toBuilder()
            .factors(factors(conf, protocol))
            .seed(read(conf, MODEL_SEED))
            .groups(read(conf, MODEL_GROUPS))
            .regroupEvery(read(conf, MODEL_REGROUP_EVERY_EVENTS))
            .epochs(conf.get(EPOCHS))
            .personalEpochs(conf.get(PERSONAL_EPOCHS))
            .globalSteps(d.globalSteps().times(conf.get(RATE_SCALE)))
            .neighbours(job.neighbours())
            .build();
    Set<Mode> selected = EnumSet.allOf(Mode.class);
    List<String> modes = conf.getOptional(MODES).orElse(List.of());
    if (!modes.isEmpty()) {
      selected = EnumSet.noneOf(Mode.class);
      for (String name : modes) {
        for (String one : name.split(",")) {
          selected.add(Mode.parse(one.trim()));
        }
      }
    }
    return new EvaluationConfig(
        protocol,
        target,
        conf.get(LIKE_THRESHOLD),
        conf.get(TEST_FRACTION),
        0.1,
        hyper,
        selected,
        new FeatureSpace(read(conf, FEATURE_GENRES), read(conf, FEATURE_HASH_BUCKETS)),
        topNSettings(
            job,
            conf.get(RECOMMENDERS).stream()
                .flatMap(r -> java.util.Arrays.stream(r.split(",")))
                .map(String::trim)
                .filter(r -> !r.isEmpty())
                .map(RecommenderKind::parse)
                .toList(),
            conf.get(SAMPLED_ITEMS),
            conf.get(RANKING_EPOCHS)),
        read(conf, SAMPLE_MAX_USERS));
  }

  /**
   * The settings without the model kind, for reading the job's recommendation settings: the job's
   * rule on the kind (only the rating models) is not the evaluator's, which runs LOGISTIC too.
   */
  private static Configuration withoutModelKind(Configuration conf) {
    Configuration copy = new Configuration(conf);
    copy.removeConfig(MODEL_KIND);
    return copy;
  }

  /** The job's recommendation settings in {@code job}, with the evaluator's own. */
  public static TopNSettings topNSettings(
      JobConfig job, List<RecommenderKind> recommenders, int sampledItems, int epochs) {
    return new TopNSettings(
        job.graphSettings(),
        job.walkSettings(),
        job.listSettings(),
        job.signalWeights(),
        job.negativeSampling(),
        job.get(RecommendationOptions.RANKING_NEGATIVES),
        job.get(RecommendationOptions.SEEN_ITEMS),
        job.get(PersonalizeOptions.RECENT_ITEMS),
        job.millis(RecommendationOptions.INTERVAL),
        job.millis(RecommendationOptions.POPULARITY_HALF_LIFE),
        job.get(RecommendationOptions.POPULARITY_TOP),
        recommenders,
        sampledItems,
        epochs);
  }

  /**
   * The model kind, any of them (the job's rule allows only those that learn ratings; the evaluator
   * runs LOGISTIC too), in any case. An unknown kind is named with its flag, its key and the kinds
   * there are: Flink's own message names only the key.
   */
  static ModelKind modelKind(Configuration conf) {
    try {
      return conf.get(MODEL_KIND);
    } catch (IllegalArgumentException e) {
      String value = conf.toMap().get(MODEL_KIND.key());
      throw new IllegalArgumentException(
          "unknown model kind '"
              + value
              + "' ("
              + SettingFlags.flag(MODEL_KIND, PersonalizeOptions.PREFIX)
              + ", "
              + MODEL_KIND.key()
              + "): expected one of "
              + Arrays.stream(ModelKind.values()).map(Enum::name).collect(Collectors.joining(", "))
              + " (any case)",
          e);
    }
  }

  /**
   * k: as given, else the batch protocol's own when it learns its settings ({@link
   * ModelConfig#BATCH_FACTORS}), else the job's default.
   */
  private static int factors(Configuration conf, Protocol protocol) {
    return conf.contains(MODEL_FACTORS)
            || protocol != Protocol.BATCH
            || !read(conf, MODEL_LEARN_SETTINGS)
        ? read(conf, MODEL_FACTORS)
        : ModelConfig.BATCH_FACTORS;
  }

  /** A model setting, checked by its rule. */
  @SuppressWarnings("unchecked")
  private static <T> T read(Configuration conf, ConfigOption<T> option) {
    return ((Setting<T>) PersonalizeOptions.setting(option)).read(conf);
  }
}
