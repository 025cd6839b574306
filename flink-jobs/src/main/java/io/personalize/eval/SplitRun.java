package io.personalize.eval;

import io.personalize.model.AdaGradTrainer;
import io.personalize.model.AdaptiveLearner;
import io.personalize.model.AdaptiveUserState;
import io.personalize.model.BorrowDirection;
import io.personalize.model.Coordinator;
import io.personalize.model.GlobalTrainer;
import io.personalize.model.GroupBoundaries;
import io.personalize.model.Mode;
import io.personalize.model.PersonalLearner;
import io.personalize.model.PersonalParameters;
import io.personalize.model.PersonalSettings;
import io.personalize.model.SelfTuning;
import io.personalize.model.SharedParameters;
import io.personalize.neighbours.NeighbourModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The batch protocols (random 80/20 and per-user time split): the global model trains T epochs on
 * the training part; the personal modes then take their own epochs on each user's training events
 * with the shared block fixed; everything is scored on the test part.
 *
 * <ul>
 *   <li>local: each user alone from the untrained model;
 *   <li>mtl: from the user's global row, pulled toward it;
 *   <li>adaptive: from the user's global row; each group's setting is chosen among the candidates
 *       by loss on validation folds held out of the training events (each with a global model
 *       trained without it), then refit on all of them;
 *   <li>adaptive-paper: the literal form: the model of epoch t_u of the global trajectory, then T -
 *       t_u epochs on the user's own data with that epoch's shared block.
 * </ul>
 *
 * Users are grouped by their number of training events. With {@link SelfTuning#choosesTrainer} the
 * global model's trainer (SGD or {@link AdaGradTrainer}) is chosen first, by its loss on the same
 * validation folds.
 */
final class SplitRun {
  private final RunContext context;
  private final Split split;
  private final boolean perUserTimeSplit;

  SplitRun(RunContext context, Split split, boolean perUserTimeSplit) {
    this.context = context;
    this.split = split;
    this.perUserTimeSplit = perUserTimeSplit;
  }

  List<ModeResult> run() {
    EventLog log = context.log;
    EvaluationConfig config = context.config;
    int users = log.users();
    int groups = context.hyper.groups();
    long seed = context.hyper.seed();

    // Popularity from the training part only: the test part is unseen.
    for (int e : split.train()) {
      context.features.observe(log.item[e]);
    }
    long[] trainCounts = log.countsPerUser(split.train());
    GroupBoundaries boundaries = Coordinator.boundaries(0, groups, trainCounts);
    int[] userGroup = new int[users];
    for (int u = 0; u < users; u++) {
      userGroup[u] = boundaries.groupOf(trainCounts[u]);
    }
    List<List<Integer>> trainByUser = Split.eventsByUser(log, split.train());

    // Validation folds (and the global trainer chosen on them), then global training, keeping
    // each epoch's model for the literal form.
    Validation validation =
        config.runs(Mode.ADAPTIVE) || choosesTrainer() ? validate(trainByUser) : null;
    boolean adaGrad = validation != null && validation.adaGrad();
    boolean paper = config.runs(Mode.ADAPTIVE_PAPER) || config.runs(Mode.ADAPTIVE_PAPER_REVERSE);
    GlobalFit fit = trainGlobal(split.train(), paper, adaGrad, "global training");
    GlobalTrainer global = fit.trainer();
    SharedParameters shared = global.shared();
    PersonalParameters[] rows = fit.rows();
    List<SharedParameters> sharedByEpoch = fit.sharedByEpoch();
    List<PersonalParameters[]> rowsByEpoch = fit.rowsByEpoch();

    MetricsCalculator calculator = context.calculator(userGroup, perUserTimeSplit);
    List<ModeResult> results = new ArrayList<>();
    if (config.runs(Mode.GLOBAL)) {
      PredictionLog predictions = new PredictionLog();
      for (int e : split.test()) {
        predictions.add(
            e,
            global.predict(rows[log.user[e]], log.item[e], context.features.features(log.item[e])));
      }
      results.add(calculator.compute(Mode.GLOBAL.label(), predictions));
    }
    if (config.runs(Mode.LOCAL)) {
      SharedParameters untrained = context.newShared();
      PersonalParameters[] blocks = new PersonalParameters[users];
      for (int u = 0; u < users; u++) {
        blocks[u] = global.newPersonalBlock(context.userSeed(u));
      }
      results.add(
          calculator.compute(
              Mode.LOCAL.label(),
              personalMode(untrained, blocks, null, trainByUser, context.hyper.local(), seed + 1)));
    }
    if (config.runs(Mode.MTL)) {
      PersonalParameters[] blocks = new PersonalParameters[users];
      for (int u = 0; u < users; u++) {
        blocks[u] = context.blockFrom(global, context.userSeed(u), rows[u]);
      }
      results.add(
          calculator.compute(
              Mode.MTL.label(),
              personalMode(shared, blocks, rows, trainByUser, context.hyper.mtl(), seed + 2)));
    }
    if (config.runs(Mode.ADAPTIVE)) {
      results.add(
          calculator.compute(
              Mode.ADAPTIVE.label(),
              adaptive(global, shared, rows, trainByUser, userGroup, validation)));
    }
    for (Mode mode : List.of(Mode.ADAPTIVE_PAPER, Mode.ADAPTIVE_PAPER_REVERSE)) {
      if (config.runs(mode)) {
        BorrowDirection direction =
            mode == Mode.ADAPTIVE_PAPER
                ? BorrowDirection.LESS_DATA_BORROWS_MORE
                : BorrowDirection.MORE_DATA_BORROWS_MORE;
        results.add(
            calculator.compute(
                mode.label(),
                paper(global, sharedByEpoch, rowsByEpoch, trainByUser, userGroup, direction)));
      }
    }
    return results;
  }

  /** A global model trained T epochs, with its user rows and, if kept, every epoch's model. */
  private record GlobalFit(
      GlobalTrainer trainer,
      PersonalParameters[] rows,
      List<SharedParameters> sharedByEpoch,
      List<PersonalParameters[]> rowsByEpoch) {}

  /**
   * Held-out folds of the training events, each with the global model trained without it: the
   * evidence on which the global trainer and the adaptive mode's settings are chosen.
   */
  private record Validation(boolean adaGrad, List<Fold> folds) {
    /** The fold's global model of the chosen trainer. */
    GlobalFit global(Fold fold) {
      return fold.byTrainer()[adaGrad ? 1 : 0];
    }
  }

  /**
   * One fold: per user, the events a model is fitted on and those held out of it; the global models
   * fitted without them, SGD's and (when the trainer is chosen) AdaGrad's.
   */
  private record Fold(
      List<List<Integer>> fitByUser, List<List<Integer>> heldByUser, GlobalFit[] byTrainer) {}

  /**
   * Splits each user's training events into disjoint held-out folds (random folds; the per-user
   * time split holds out each user's latest events, one fold), trains the global model without
   * each, and when the trainer is to be chosen, with SGD and with AdaGrad: the trainer with the
   * lower loss over all held-out events is the run's.
   */
  private Validation validate(List<List<Integer>> trainByUser) {
    EventLog log = context.log;
    int users = log.users();
    int folds = folds();
    Random random = new Random(context.hyper.seed() + 3);
    List<List<Integer>> ordered = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      List<Integer> events = new ArrayList<>(trainByUser.get(u));
      if (!perUserTimeSplit) {
        java.util.Collections.shuffle(events, random);
      }
      ordered.add(events);
    }
    boolean[] trainers = choosesTrainer() ? new boolean[] {false, true} : new boolean[] {false};
    double[] heldLoss = new double[trainers.length];
    long heldEvents = 0;
    List<Fold> validationFolds = new ArrayList<>();
    for (int f = 0; f < folds; f++) {
      List<List<Integer>> fitByUser = new ArrayList<>();
      List<List<Integer>> heldByUser = new ArrayList<>();
      List<Integer> fitEvents = new ArrayList<>();
      for (List<Integer> events : ordered) {
        List<Integer> out = heldOut(events, f);
        List<Integer> in = new ArrayList<>(events);
        in.removeAll(out);
        fitByUser.add(in);
        heldByUser.add(out);
        fitEvents.addAll(in);
        heldEvents += out.size();
      }
      int[] fit = fitEvents.stream().mapToInt(Integer::intValue).toArray();
      GlobalFit[] byTrainer = new GlobalFit[trainers.length];
      for (int t = 0; t < trainers.length; t++) {
        byTrainer[t] =
            trainGlobal(
                fit,
                false,
                trainers[t],
                String.format(
                    java.util.Locale.ROOT,
                    "validation fold %d of %d: global model (%s) without it",
                    f + 1,
                    folds,
                    trainers[t] ? "AdaGrad" : "SGD"));
        heldLoss[t] += globalLoss(byTrainer[t], heldByUser);
      }
      validationFolds.add(new Fold(fitByUser, heldByUser, byTrainer));
    }
    int best = heldLoss.length > 1 && heldLoss[1] < heldLoss[0] ? 1 : 0;
    if (trainers.length > 1) {
      context.learned =
          String.format(
              java.util.Locale.ROOT,
              "trainer %s (mean held-out loss SGD %.5f, AdaGrad %.5f over %d events in %d folds)",
              best == 1 ? "AdaGrad" : "SGD",
              heldLoss[0] / Math.max(1, heldEvents),
              heldLoss[1] / Math.max(1, heldEvents),
              heldEvents,
              folds);
    }
    return new Validation(trainers[best], validationFolds);
  }

  /**
   * Fold {@code f}'s held-out part of one user's ordered training events. At least one event for a
   * user with two or more, so that the groups of the lightest users (most of them in a sparse data
   * set) have evidence too; none where the fold would leave the user nothing to fit.
   */
  private List<Integer> heldOut(List<Integer> events, int f) {
    int n = events.size();
    int held = n < 2 ? 0 : Math.max(1, (int) Math.round(n * context.config.validationFraction()));
    int end = n - f * held;
    int start = end - held;
    return start >= 1 ? events.subList(start, end) : List.of();
  }

  /**
   * The validation folds: the configured number for the random split; one for the per-user time
   * split, whose held-out events are each user's latest (more disjoint folds would fit on events
   * after the ones they hold out).
   */
  private int folds() {
    return perUserTimeSplit ? 1 : context.hyper.tuning().validationFolds();
  }

  /**
   * Whether the global trainer is chosen: only on several folds. A model-wide choice on one fold of
   * each user's latest events was tried for the per-user time split: there AdaGrad won the fold on
   * CiaoDVD and a 25-user group then chose a personal candidate 0.0035 worse than global on its
   * test events (docs/evaluation.md).
   */
  private boolean choosesTrainer() {
    return context.hyper.tuning().choosesTrainer() && folds() > 1;
  }

  /** The summed loss of a global model's predictions of the held-out events. */
  private double globalLoss(GlobalFit fit, List<List<Integer>> heldByUser) {
    EventLog log = context.log;
    double sum = 0;
    for (int u = 0; u < heldByUser.size(); u++) {
      for (int e : heldByUser.get(u)) {
        int i = log.item[e];
        double p = fit.trainer().predict(fit.rows()[u], i, context.features.features(i));
        sum += context.model.loss().loss(context.scale.clamp(p), context.label(e));
      }
    }
    return sum;
  }

  /**
   * Trains the global model T epochs on {@code events}, in a shuffled order per epoch: by SGD at
   * steps decayed every epoch, or with {@code adaGrad} by {@link AdaGradTrainer} (the mean and the
   * feature weights at the same decayed SGD steps).
   */
  private GlobalFit trainGlobal(int[] events, boolean keepEpochs, boolean adaGrad, String task) {
    EventLog log = context.log;
    int users = log.users();
    SharedParameters shared = context.newShared();
    GlobalTrainer global = context.newGlobalTrainer(shared);
    PersonalParameters[] rows = new PersonalParameters[users];
    PersonalParameters[] squares = adaGrad ? new PersonalParameters[users] : null;
    AdaGradTrainer adaGradTrainer =
        adaGrad ? new AdaGradTrainer(global, context.hyper.tuning().adaGradRate()) : null;
    for (int u = 0; u < users; u++) {
      rows[u] = global.newUserRow(context.userSeed(u));
      if (adaGrad) {
        squares[u] = adaGradTrainer.newUserSquares();
      }
    }
    int epochs = context.hyper.epochs();
    List<SharedParameters> sharedByEpoch = new ArrayList<>();
    List<PersonalParameters[]> rowsByEpoch = new ArrayList<>();
    if (keepEpochs) {
      sharedByEpoch.add(shared.copy());
      rowsByEpoch.add(copyRows(rows));
    }
    int[] order = events.clone();
    Random random = new Random(context.hyper.seed());
    context.progress.task(task);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      Split.shuffle(order, random);
      for (int e : order) {
        int u = log.user[e];
        int i = log.item[e];
        if (adaGrad) {
          adaGradTrainer.learn(
              rows[u], squares[u], i, context.features.features(i), context.label(e));
        } else {
          global.learn(rows[u], i, context.features.features(i), context.label(e));
        }
      }
      global.setSteps(global.steps().times(context.hyper.rateDecay()));
      if (keepEpochs) {
        sharedByEpoch.add(shared.copy());
        rowsByEpoch.add(copyRows(rows));
      }
      context.progress.update(epoch, epochs);
    }
    context.progress.finishLine();
    return new GlobalFit(global, rows, sharedByEpoch, rowsByEpoch);
  }

  private PredictionLog adaptive(
      GlobalTrainer global,
      SharedParameters shared,
      PersonalParameters[] rows,
      List<List<Integer>> trainByUser,
      int[] userGroup,
      Validation validation) {
    EventLog log = context.log;
    int users = log.users();
    AdaptiveLearner adaptive = context.hyper.adaptiveLearner(context.model);

    // 1. Choose each group's candidate on the held-out folds. The global model each fold is
    // validated with is trained without it, so the global-row candidate ("borrow everything") has
    // not seen its events either.
    Random random = new Random(context.hyper.seed() + 6);
    context.progress.task("adaptive: choosing settings");
    List<Fold> folds = validation.folds();
    for (int f = 0; f < folds.size(); f++) {
      Fold fold = folds.get(f);
      GlobalFit fit = validation.global(fold);
      SharedParameters foldShared = fit.trainer().shared();
      for (int u = 0; u < users; u++) {
        if (fold.heldByUser().get(u).isEmpty()) {
          continue;
        }
        AdaptiveUserState state =
            adaptive.start(context.blockFrom(fit.trainer(), context.userSeed(u), fit.rows()[u]));
        fitEpochs(adaptive, foldShared, state, fold.fitByUser().get(u), random);
        for (int e : fold.heldByUser().get(u)) {
          int i = log.item[e];
          adaptive.validate(foldShared, state, i, context.features.features(i), context.label(e));
        }
        adaptive.endValidationOfUser(userGroup[u]);
      }
      context.progress.update(f + 1, folds.size() + 1L);
    }
    context.recordSelection(adaptive);

    // 2. Refit every candidate on all training events, in an order of its own (so that the
    // validation's draws do not move it); predict with the group's choice.
    context.progress.task("adaptive: refit");
    Random refitOrder = new Random(context.hyper.seed() + 5);
    AdaptiveUserState[] states = new AdaptiveUserState[users];
    for (int u = 0; u < users; u++) {
      states[u] = adaptive.start(context.blockFrom(global, context.userSeed(u), rows[u]));
      fitEpochs(adaptive, shared, states[u], trainByUser.get(u), refitOrder);
    }
    context.progress.update(folds.size() + 1L, folds.size() + 1L);
    context.progress.finishLine();
    NeighbourModel neighbours = neighbours(adaptive, shared, states, userGroup);
    PredictionLog predictions = new PredictionLog();
    for (int e : split.test()) {
      int u = log.user[e];
      int i = log.item[e];
      double p = adaptive.predict(shared, states[u], i, context.features.features(i), userGroup[u]);
      predictions.add(e, neighbours == null ? p : p + neighbours.correction(u, i));
    }
    return predictions;
  }

  /**
   * With {@link io.personalize.model.ModelConfig#neighbours()} (ratings only), the training events
   * in time order learned by a {@link NeighbourModel} with the fitted adaptive model's residuals on
   * them; otherwise null.
   */
  private NeighbourModel neighbours(
      AdaptiveLearner adaptive,
      SharedParameters shared,
      AdaptiveUserState[] states,
      int[] userGroup) {
    if (context.hyper.neighbours() == null || context.config.target() != Target.RATING) {
      return null;
    }
    EventLog log = context.log;
    NeighbourModel neighbours = new NeighbourModel(context.hyper.neighbours());
    // The split keeps its events in log order, which is time order.
    for (int e : split.train()) {
      int u = log.user[e];
      int i = log.item[e];
      double p = adaptive.predict(shared, states[u], i, context.features.features(i), userGroup[u]);
      neighbours.learn(u, i, context.label(e), p, shared.itemBaseline(i));
    }
    return neighbours;
  }

  private void fitEpochs(
      AdaptiveLearner adaptive,
      SharedParameters shared,
      AdaptiveUserState state,
      List<Integer> events,
      Random random) {
    int[] order = events.stream().mapToInt(Integer::intValue).toArray();
    for (int epoch = 0; epoch < context.hyper.personalEpochs(); epoch++) {
      Split.shuffle(order, random);
      for (int e : order) {
        int i = context.log.item[e];
        adaptive.fit(shared, state, i, context.features.features(i), context.label(e));
      }
    }
  }

  private PredictionLog paper(
      GlobalTrainer global,
      List<SharedParameters> sharedByEpoch,
      List<PersonalParameters[]> rowsByEpoch,
      List<List<Integer>> trainByUser,
      int[] userGroup,
      BorrowDirection direction) {
    EventLog log = context.log;
    int epochs = context.hyper.epochs();
    PersonalLearner personal = new PersonalLearner(context.model);
    PersonalSettings own = context.hyper.paper();
    Random random = new Random(context.hyper.seed() + 4);
    PersonalParameters[] blocks = new PersonalParameters[log.users()];
    int[] branch = new int[log.users()];
    for (int u = 0; u < log.users(); u++) {
      branch[u] =
          Coordinator.borrowedSteps(userGroup[u], context.hyper.groups(), epochs, direction);
      SharedParameters sharedAtBranch = sharedByEpoch.get(branch[u]);
      blocks[u] = context.blockFrom(global, context.userSeed(u), rowsByEpoch.get(branch[u])[u]);
      int[] order = trainByUser.get(u).stream().mapToInt(Integer::intValue).toArray();
      for (int epoch = branch[u]; epoch < epochs; epoch++) {
        Split.shuffle(order, random);
        for (int e : order) {
          int i = log.item[e];
          personal.learn(
              sharedAtBranch,
              blocks[u],
              null,
              i,
              context.features.features(i),
              context.label(e),
              own);
        }
      }
    }
    PredictionLog predictions = new PredictionLog();
    for (int e : split.test()) {
      int u = log.user[e];
      int i = log.item[e];
      predictions.add(
          e,
          personal.predict(
              sharedByEpoch.get(branch[u]), blocks[u], i, context.features.features(i)));
    }
    return predictions;
  }

  /**
   * Own epochs on each user's training events with the shared block fixed, then predictions on the
   * test part: the local and multi-task modes, which differ only in start, anchor and settings.
   */
  private PredictionLog personalMode(
      SharedParameters shared,
      PersonalParameters[] blocks,
      PersonalParameters[] anchors,
      List<List<Integer>> trainByUser,
      PersonalSettings settings,
      long seed) {
    PersonalLearner personal = new PersonalLearner(context.model);
    Random random = new Random(seed);
    for (int u = 0; u < blocks.length; u++) {
      int[] order = trainByUser.get(u).stream().mapToInt(Integer::intValue).toArray();
      for (int epoch = 0; epoch < context.hyper.personalEpochs(); epoch++) {
        Split.shuffle(order, random);
        for (int e : order) {
          int i = context.log.item[e];
          personal.learn(
              shared,
              blocks[u],
              anchors == null ? null : anchors[u],
              i,
              context.features.features(i),
              context.label(e),
              settings);
        }
      }
    }
    PredictionLog predictions = new PredictionLog();
    for (int e : split.test()) {
      int i = context.log.item[e];
      predictions.add(
          e,
          personal.predict(shared, blocks[context.log.user[e]], i, context.features.features(i)));
    }
    return predictions;
  }

  private static PersonalParameters[] copyRows(PersonalParameters[] rows) {
    return Arrays.stream(rows).map(PersonalParameters::copy).toArray(PersonalParameters[]::new);
  }
}
