package io.personalize.eval;

import io.personalize.model.AdaptiveLearner;
import io.personalize.model.AdaptiveUserState;
import io.personalize.model.CandidateSelector;
import io.personalize.model.Coordinator;
import io.personalize.model.FeatureVector;
import io.personalize.model.GlobalTrainer;
import io.personalize.model.GroupBoundaries;
import io.personalize.model.PersonalLearner;
import io.personalize.model.PersonalParameters;
import io.personalize.model.SharedParameters;
import java.util.ArrayList;
import java.util.List;

/**
 * The prequential protocol: every event in time order is predicted by every mode, then learned, in
 * one pass. The personal modes step before the global model learns the event, so no mode sees an
 * event before predicting it; the shared block they read is the global model as of the previous
 * event (a checkpoint after every event, the freshest the stream can be).
 *
 * <p>Groups used for learning are those of the stream: boundaries recomputed every {@code
 * regroupEvery} events over the counts seen so far, and a user's group from the user's count before
 * the event. Groups used for reporting are those of the users' final counts.
 */
final class PrequentialRun {
  private final RunContext context;

  PrequentialRun(RunContext context) {
    this.context = context;
  }

  List<ModeResult> run() {
    EventLog log = context.log;
    EvaluationConfig config = context.config;
    int users = log.users();
    int groups = context.hyper.groups();

    SharedParameters shared = context.newShared();
    GlobalTrainer global = context.newGlobalTrainer(shared);
    PersonalParameters[] globalRows = new PersonalParameters[users];

    SharedParameters untrained = context.newShared();
    PersonalLearner personal = new PersonalLearner(context.model);
    PersonalParameters[] localBlocks = new PersonalParameters[users];
    PersonalParameters[] mtlBlocks = new PersonalParameters[users];
    AdaptiveLearner adaptive =
        new AdaptiveLearner(
            context.model,
            context.hyper.adaptiveCandidates(),
            new CandidateSelector(groups, context.hyper.adaptiveCandidates().size()));
    AdaptiveUserState[] states = new AdaptiveUserState[users];

    PredictionLog globalLog = new PredictionLog();
    PredictionLog localLog = new PredictionLog();
    PredictionLog mtlLog = new PredictionLog();
    PredictionLog adaptiveLog = new PredictionLog();

    long[] counts = new long[users];
    GroupBoundaries boundaries = GroupBoundaries.initial(groups);
    boolean runLocal = config.runs(Mode.LOCAL);
    boolean runMtl = config.runs(Mode.MTL);
    boolean runAdaptive = config.runs(Mode.ADAPTIVE);
    boolean runGlobal = config.runs(Mode.GLOBAL);

    int n = log.events();
    context.progress.task("prequential pass");
    for (int e = 0; e < n; e++) {
      int u = log.user[e];
      int i = log.item[e];
      double y = context.label(e);
      FeatureVector x = context.features.features(i);
      if (globalRows[u] == null) {
        globalRows[u] = global.newUserRow(u);
        localBlocks[u] = global.newPersonalBlock(u);
        mtlBlocks[u] = context.blockFrom(global, u, globalRows[u]);
        states[u] = adaptive.start(context.blockFrom(global, u, globalRows[u]));
      }
      if (runLocal) {
        localLog.add(
            e, personal.learn(untrained, localBlocks[u], null, i, x, y, context.hyper.local()));
      }
      if (runMtl) {
        mtlLog.add(
            e, personal.learn(shared, mtlBlocks[u], globalRows[u], i, x, y, context.hyper.mtl()));
      }
      if (runAdaptive) {
        adaptiveLog.add(
            e, adaptive.step(shared, states[u], i, x, y, boundaries.groupOf(counts[u])));
      }
      double globalPrediction = global.learn(globalRows[u], i, x, y);
      if (runGlobal) {
        globalLog.add(e, globalPrediction);
      }
      context.features.observe(i);
      counts[u]++;
      if ((e + 1) % context.hyper.regroupEvery() == 0) {
        boundaries = Coordinator.boundaries(boundaries.version() + 1, groups, counts);
      }
      context.progress.update(e + 1, n);
    }
    context.progress.finishLine();

    GroupBoundaries finalBoundaries = Coordinator.boundaries(0, groups, counts);
    int[] userGroup = new int[users];
    for (int u = 0; u < users; u++) {
      userGroup[u] = finalBoundaries.groupOf(counts[u]);
    }
    MetricsCalculator calculator = context.calculator(userGroup, false);
    List<ModeResult> results = new ArrayList<>();
    if (runGlobal) {
      results.add(calculator.compute(Mode.GLOBAL.label(), globalLog));
    }
    if (runLocal) {
      results.add(calculator.compute(Mode.LOCAL.label(), localLog));
    }
    if (runMtl) {
      results.add(calculator.compute(Mode.MTL.label(), mtlLog));
    }
    if (runAdaptive) {
      results.add(calculator.compute(Mode.ADAPTIVE.label(), adaptiveLog));
      context.recordSelection(adaptive);
    }
    return results;
  }
}
