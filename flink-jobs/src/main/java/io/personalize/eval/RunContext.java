package io.personalize.eval;

import io.personalize.model.AdaptiveLearner;
import io.personalize.model.CandidateSelector;
import io.personalize.model.GlobalTrainer;
import io.personalize.model.Initializer;
import io.personalize.model.Model;
import io.personalize.model.ModelConfig;
import io.personalize.model.PersonalParameters;
import io.personalize.model.RatingScale;
import io.personalize.model.SelfTuningTrainer;
import io.personalize.model.SharedParameters;
import io.personalize.model.features.FeatureSpace;
import io.personalize.model.features.ItemCatalog;
import io.personalize.online.Ids;
import java.util.ArrayList;
import java.util.List;

/** What every protocol needs about one run: the events, the labels, the features, the model. */
final class RunContext {
  final EventLog log;
  final EvaluationConfig config;
  final ModelConfig hyper;
  final FeatureSpace space;

  /** The items in the log's order (item {@code i} of the log is index {@code i}), with features. */
  final ItemCatalog features;

  final Model model;
  final Initializer initializer;
  final double initialMean;
  final RatingScale scale;
  final Progress progress;

  /** The adaptive mode's chosen candidate per group, for the report. */
  List<String> selection = List.of();

  /** What the stream protocols' global model learned (steps, early steps, initial row), or "". */
  String learned = "";

  RunContext(EventLog log, EvaluationConfig config, Progress progress) {
    this.log = log;
    this.config = config;
    this.hyper = config.model();
    this.progress = progress;
    this.space = config.featureSpace();
    this.features = log.catalog(space);
    this.model = hyper.model(space.dimension());
    this.initializer = hyper.initializer();
    // The untrained model predicts the middle of the rating scale, or even odds for likes. The
    // scale is the data set's documented one (e.g. 1..5 for ml-100k), not the range of the values
    // present; the reader has rejected any value outside it.
    this.scale = config.target() == Target.RATING ? log.scale : RatingScale.UNBOUNDED;
    this.initialMean = config.target() == Target.RATING ? scale.midpoint() : 0;
  }

  /**
   * The seed of a user's initial row: a hash of the user's id, as in the job, so both start every
   * user from the same values.
   */
  long userSeed(int user) {
    return Ids.hash(log.userIds.get(user));
  }

  /**
   * The seed of an item's initial factors: a hash of its id, as the job's global model seeds it.
   */
  long itemSeed(int item) {
    return Ids.hash(log.itemIds.get(item));
  }

  double label(int event) {
    return config.target() == Target.RATING
        ? log.value[event]
        : log.value[event] >= config.likeThreshold() ? 1 : 0;
  }

  SharedParameters newShared() {
    return new SharedParameters(
        model.factors(), space.dimension(), initialMean, initializer, this::itemSeed);
  }

  GlobalTrainer newGlobalTrainer(SharedParameters shared) {
    return new GlobalTrainer(
        model, shared, initializer, hyper.globalSteps(), hyper.globalRegularization());
  }

  /** The global model of the stream protocols, which learns its own settings from the stream. */
  SelfTuningTrainer newSelfTuningTrainer() {
    return new SelfTuningTrainer(
        model,
        newShared(),
        initializer,
        hyper.globalSteps(),
        hyper.globalRegularization(),
        hyper.tuning());
  }

  /** Keeps what the global model learned from the stream, for the report. */
  void recordLearned(SelfTuningTrainer trainer) {
    learned = trainer.settings().toString();
  }

  /** A personal block that starts as the user's global row, with zero feature deviations. */
  PersonalParameters blockFrom(GlobalTrainer trainer, long user, PersonalParameters globalRow) {
    PersonalParameters block = trainer.newPersonalBlock(user);
    block.copyFrom(globalRow);
    return block;
  }

  /** Keeps the adaptive mode's chosen candidate per group, for the report. */
  void recordSelection(AdaptiveLearner adaptive) {
    List<String> lines = new ArrayList<>();
    CandidateSelector selector = adaptive.selector();
    for (int g = 1; g <= selector.groups(); g++) {
      int best = selector.best(g);
      double regret = selector.selectionRegret(g);
      lines.add(
          "group "
              + g
              + ": candidate "
              + best
              + " ("
              + adaptive.describe(best)
              + ")"
              + (Double.isNaN(regret)
                  ? ""
                  : String.format(
                      java.util.Locale.ROOT,
                      ", selection noise %+.5f (mean loss of the choices made minus the best"
                          + " candidate's)",
                      regret)));
    }
    selection = List.copyOf(lines);
  }

  MetricsCalculator calculator(int[] userGroup, boolean ranking) {
    return new MetricsCalculator(
        log, config.target(), config.likeThreshold(), scale, userGroup, hyper.groups(), ranking);
  }
}
