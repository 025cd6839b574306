package io.personalize.eval;

import io.personalize.model.Coordinator;
import io.personalize.model.FeatureVector;
import io.personalize.model.GlobalUserRow;
import io.personalize.model.GroupBoundaries;
import io.personalize.model.Mode;
import io.personalize.model.ModelConfig;
import io.personalize.model.SelfTuningTrainer;
import io.personalize.neighbours.NeighbourModel;
import io.personalize.online.UserModels;
import io.personalize.online.UserState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The prequential protocol: every event in time order is predicted by every mode, then learned, in
 * one pass. The personal modes step first ({@link UserModels#step}, the job's per-user step), then
 * the global model learns the event ({@link SelfTuningTrainer#learn}, the job's global step), so no
 * mode sees an event before predicting it; the shared block the personal modes read is the global
 * model as of the previous event (a checkpoint after every event, the freshest the stream can be).
 *
 * <p>Groups used for learning are those of the stream: boundaries recomputed every {@code
 * regroupEvery} events over the counts seen so far, and a user's group from the user's count before
 * the event. Groups used for reporting are those of the users' final counts.
 *
 * <p>With {@link ModelConfig#neighbours()} (ratings only), adaptive's prediction is corrected by
 * the user's earlier items ({@link NeighbourModel}), which then learns the event with adaptive's
 * own prediction.
 */
final class PrequentialRun {
  /** The per-event pass's task name in {@link Progress}. */
  static final String PASS = "prequential pass";

  private final RunContext context;

  PrequentialRun(RunContext context) {
    this.context = context;
  }

  List<ModeResult> run() {
    EventLog log = context.log;
    EvaluationConfig config = context.config;
    int users = log.users();
    int groups = context.hyper.groups();

    SelfTuningTrainer global = context.newSelfTuningTrainer();
    GlobalUserRow[] globalRows = new GlobalUserRow[users];
    UserModels personal =
        new UserModels(
            context.hyper,
            context.space.dimension(),
            context.initialMean,
            config.modes(),
            context::itemSeed);
    // The per-user side steps with what the global side learns, as of each event.
    personal.useSettings(global.settings());
    personal.boundSamples(config.sampleMaxUsers());
    int usersCounted = 0;
    UserState[] states = new UserState[users];

    Map<Mode, PredictionLog> logs = new EnumMap<>(Mode.class);
    for (Mode mode : Mode.STREAM) {
      if (config.runs(mode)) {
        logs.put(mode, new PredictionLog());
      }
    }
    NeighbourModel neighbours =
        config.runs(Mode.ADAPTIVE)
                && config.target() == Target.RATING
                && context.hyper.neighbours() != null
            ? new NeighbourModel(context.hyper.neighbours())
            : null;
    boolean runPersonal =
        config.runs(Mode.LOCAL) || config.runs(Mode.MTL) || config.runs(Mode.ADAPTIVE);
    double[] predictions = new double[Mode.values().length];

    long[] counts = new long[users];
    GroupBoundaries boundaries = GroupBoundaries.initial(groups);
    int n = log.events();
    context.progress.task(PASS);
    for (int e = 0; e < n; e++) {
      int u = log.user[e];
      int i = log.item[e];
      double y = context.label(e);
      FeatureVector x = context.features.features(i);
      if (globalRows[u] == null) {
        usersCounted++;
        globalRows[u] = global.newUser(context.userSeed(u));
        states[u] = personal.newUser(log.userIds.get(u), context.userSeed(u));
      }
      if (runPersonal) {
        personal.step(
            states[u], global.shared(), i, x, y, boundaries.groupOf(counts[u]), predictions);
      }
      if (neighbours != null) {
        double adaptive = predictions[Mode.ADAPTIVE.ordinal()];
        predictions[Mode.ADAPTIVE.ordinal()] = adaptive + neighbours.correction(u, i);
        // The baseline as the personal side sees it: the global model before it learns the event.
        neighbours.learn(u, i, y, adaptive, global.shared().itemBaseline(i));
      }
      predictions[Mode.GLOBAL.ordinal()] = global.learn(globalRows[u], i, x, y);
      for (Map.Entry<Mode, PredictionLog> entry : logs.entrySet()) {
        entry.getValue().add(e, predictions[entry.getKey().ordinal()]);
      }
      context.features.observe(i);
      counts[u]++;
      if ((e + 1) % context.hyper.regroupEvery() == 0) {
        boundaries = Coordinator.boundaries(boundaries.version() + 1, groups, counts);
        // As the job's per-user operator takes the coordinator's count with the boundaries.
        personal.countUsers(usersCounted);
      }
      context.progress.update(e + 1, n);
    }
    context.progress.finishLine();
    context.progress.endTask();

    GroupBoundaries finalBoundaries = Coordinator.boundaries(0, groups, counts);
    int[] userGroup = new int[users];
    for (int u = 0; u < users; u++) {
      userGroup[u] = finalBoundaries.groupOf(counts[u]);
    }
    MetricsCalculator calculator = context.calculator(userGroup, false);
    List<ModeResult> results = new ArrayList<>();
    for (Map.Entry<Mode, PredictionLog> entry : logs.entrySet()) {
      results.add(calculator.compute(entry.getKey().label(), entry.getValue()));
    }
    if (config.runs(Mode.ADAPTIVE)) {
      context.recordSelection(personal.adaptive());
    }
    context.recordLearned(global);
    return results;
  }
}
