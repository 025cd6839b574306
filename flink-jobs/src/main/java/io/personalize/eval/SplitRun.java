package io.personalize.eval;

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
import io.personalize.model.SharedParameters;
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
 *       by loss on a validation part held out of the training events, then refit on all of them;
 *   <li>adaptive-paper: the literal form: the model of epoch t_u of the global trajectory, then T -
 *       t_u epochs on the user's own data with that epoch's shared block.
 * </ul>
 *
 * Users are grouped by their number of training events.
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

    // Global training, keeping each epoch's model for the literal form.
    boolean paper = config.runs(Mode.ADAPTIVE_PAPER) || config.runs(Mode.ADAPTIVE_PAPER_REVERSE);
    GlobalFit fit = trainGlobal(split.train(), paper, "global training");
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
              Mode.ADAPTIVE.label(), adaptive(global, shared, rows, trainByUser, userGroup)));
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

  /** Trains the global model T epochs on {@code events}, in a shuffled order per epoch. */
  private GlobalFit trainGlobal(int[] events, boolean keepEpochs, String task) {
    EventLog log = context.log;
    int users = log.users();
    SharedParameters shared = context.newShared();
    GlobalTrainer global = context.newGlobalTrainer(shared);
    PersonalParameters[] rows = new PersonalParameters[users];
    for (int u = 0; u < users; u++) {
      rows[u] = global.newUserRow(context.userSeed(u));
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
        global.learn(
            rows[log.user[e]],
            log.item[e],
            context.features.features(log.item[e]),
            context.label(e));
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
      int[] userGroup) {
    EventLog log = context.log;
    int users = log.users();
    AdaptiveLearner adaptive = context.hyper.adaptiveLearner(context.model);
    Random random = new Random(context.hyper.seed() + 3);

    // 1. Choose each group's candidate on events held out of the training part. The global
    // model they are validated with is trained without them, so the global-row candidate
    // ("borrow everything") has not seen them either.
    List<List<Integer>> fitByUser = new ArrayList<>();
    List<List<Integer>> heldByUser = new ArrayList<>();
    List<Integer> fitEvents = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      List<Integer> events = new ArrayList<>(trainByUser.get(u));
      if (!perUserTimeSplit) {
        java.util.Collections.shuffle(events, random);
      }
      // At least one held-out event for a user with two or more, so that the groups of the
      // lightest users (most of them in a sparse data set) have evidence too.
      int held =
          events.size() < 2
              ? 0
              : Math.max(1, (int) Math.round(events.size() * context.config.validationFraction()));
      fitByUser.add(events.subList(0, events.size() - held));
      heldByUser.add(events.subList(events.size() - held, events.size()));
      fitEvents.addAll(fitByUser.get(u));
    }
    GlobalFit validation =
        trainGlobal(
            fitEvents.stream().mapToInt(Integer::intValue).toArray(),
            false,
            "adaptive: global model without the validation events");
    SharedParameters validationShared = validation.trainer().shared();
    context.progress.task("adaptive: choosing settings");
    for (int u = 0; u < users; u++) {
      if (heldByUser.get(u).isEmpty()) {
        continue;
      }
      AdaptiveUserState state =
          adaptive.start(
              context.blockFrom(validation.trainer(), context.userSeed(u), validation.rows()[u]));
      fitEpochs(adaptive, validationShared, state, fitByUser.get(u), random);
      for (int e : heldByUser.get(u)) {
        int i = log.item[e];
        adaptive.validate(
            validationShared, state, i, context.features.features(i), context.label(e));
      }
      adaptive.endValidationOfUser(userGroup[u]);
      context.progress.update(u + 1, 2L * users);
    }
    context.recordSelection(adaptive);

    // 2. Refit every candidate on all training events; predict with the group's choice.
    context.progress.task("adaptive: refit");
    AdaptiveUserState[] states = new AdaptiveUserState[users];
    for (int u = 0; u < users; u++) {
      states[u] = adaptive.start(context.blockFrom(global, context.userSeed(u), rows[u]));
      fitEpochs(adaptive, shared, states[u], trainByUser.get(u), random);
      context.progress.update(users + u + 1, 2L * users);
    }
    context.progress.finishLine();
    PredictionLog predictions = new PredictionLog();
    for (int e : split.test()) {
      int u = log.user[e];
      int i = log.item[e];
      predictions.add(
          e, adaptive.predict(shared, states[u], i, context.features.features(i), userGroup[u]));
    }
    return predictions;
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
