package io.personalize.eval;

import io.personalize.model.EventKind;
import io.personalize.model.Mode;
import io.personalize.model.ModelConfig;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Runs one protocol over an event log and collects every mode's metrics into a {@link Summary}. */
public final class Evaluator {
  /**
   * The prequential protocol's per-event pass, as a task of the {@link Progress} given to {@link
   * #evaluate}: {@link Progress#taskSeconds} tells how long it took.
   */
  public static final String PREQUENTIAL_PASS = PrequentialRun.PASS;

  private Evaluator() {}

  public static Summary evaluate(EventLog log, EvaluationConfig config, Progress progress) {
    if (log.events() == 0) {
      throw new IllegalArgumentException("data set '" + log.name + "' has no events");
    }
    long start = System.nanoTime();
    if (config.protocol().isTopN()) {
      return evaluateTopN(log, config, progress, start);
    }
    requireRatings(log, config.protocol());
    RunContext context = new RunContext(log, config, progress);
    List<ModeResult> results =
        switch (config.protocol()) {
          case LEAVE_LAST_OUT, PREQUENTIAL_TOPN, SESSION -> throw new IllegalStateException();
          case PREQUENTIAL -> new PrequentialRun(context).run();
          case BATCH ->
              new SplitRun(
                      context,
                      Split.random(log, config.testFraction(), config.model().seed()),
                      false)
                  .run();
          case USER_SPLIT ->
              new SplitRun(context, Split.perUserByTime(log, config.testFraction()), true).run();
        };
    Map<String, ModeResult> modes = new LinkedHashMap<>();
    for (Mode mode : Mode.values()) {
      for (ModeResult result : results) {
        if (result.mode().equals(mode.label())) {
          modes.put(mode.label(), result);
        }
      }
    }
    return new Summary(
        log.name,
        config.protocol().label(),
        config.model().kind().name().toLowerCase(java.util.Locale.ROOT),
        config.target().name().toLowerCase(java.util.Locale.ROOT),
        log.events(),
        log.users(),
        log.items(),
        config.model().groups(),
        (System.nanoTime() - start) / 1e9,
        modes,
        context.selection,
        settings(config, context.space.dimension(), context.learned));
  }

  /**
   * A top-N protocol: every event is an interaction (a rating too, whatever its value), learned by
   * the ranking model; the recommenders' lists are scored side by side.
   */
  private static Summary evaluateTopN(
      EventLog log, EvaluationConfig config, Progress progress, long start) {
    RunContext context = new RunContext(log, config, progress);
    Map<String, RecommenderResult> recommenders = new LinkedHashMap<>();
    for (RecommenderResult result : new TopNRun(context).run()) {
      recommenders.put(result.recommender(), result);
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    ModelConfig m = config.model();
    TopNSettings t = config.topN();
    settings.put("rankingModel", m.kind().name().toLowerCase(java.util.Locale.ROOT) + " logistic");
    settings.put("factors", m.factors());
    settings.put("featureDimension", context.space.dimension());
    settings.put("seed", m.seed());
    settings.put("epochs", config.protocol() == Protocol.LEAVE_LAST_OUT ? t.epochs() : 1);
    settings.put("groups", m.groups());
    settings.put("recommenders", t.recommenders().stream().map(Object::toString).toList());
    settings.put("list", t.list().toString());
    settings.put("graph", t.graph().toString());
    settings.put("walks", t.walks().toString());
    settings.put("signalWeights", t.signals().toString());
    settings.put("negativeSampling", t.sampling().toString());
    settings.put("negatives", t.negatives());
    settings.put("seenItems", t.seenItems());
    settings.put("recentItems", t.recentItems());
    settings.put("intervalMillis", t.intervalMillis());
    settings.put("popularityHalfLifeMillis", t.popularityHalfLifeMillis());
    settings.put("popularityTop", t.popularityTop());
    if (config.protocol() == Protocol.LEAVE_LAST_OUT) {
      settings.put("sampledItems", t.sampledItems());
    }
    return new Summary(
        log.name,
        config.protocol().label(),
        config.model().kind().name().toLowerCase(java.util.Locale.ROOT),
        "interaction",
        log.events(),
        log.users(),
        log.items(),
        config.model().groups(),
        (System.nanoTime() - start) / 1e9,
        Map.of(),
        List.of(),
        settings,
        recommenders);
  }

  /**
   * Refuses implicit events (clicks, views, purchases): every protocol here learns and scores
   * ratings (the rating itself, or the like-signal drawn from it), and an implicit event's value
   * 1.0 is no rating.
   */
  static void requireRatings(EventLog log, Protocol protocol) {
    Map<EventKind, Integer> implicit = new EnumMap<>(EventKind.class);
    for (EventKind kind : log.kind) {
      if (!kind.isRating()) {
        implicit.merge(kind, 1, Integer::sum);
      }
    }
    if (implicit.isEmpty()) {
      return;
    }
    int count = implicit.values().stream().mapToInt(Integer::intValue).sum();
    throw new IllegalArgumentException(
        String.format(
            "the %s protocol learns and scores ratings, but %,d of the %,d events of data set"
                + " '%s' are not ratings (%s): a click or view has no rating to predict",
            protocol.label(),
            count,
            log.events(),
            log.name,
            implicit.entrySet().stream()
                .map(e -> String.format("%,d %s", e.getValue(), e.getKey()))
                .collect(Collectors.joining(", "))));
  }

  private static Map<String, Object> settings(
      EvaluationConfig config, int featureDimension, String learned) {
    ModelConfig m = config.model();
    Map<String, Object> settings = new LinkedHashMap<>();
    if (!learned.isEmpty()) {
      settings.put("learned", learned);
    }
    settings.put("loss", m.loss().name().toLowerCase(java.util.Locale.ROOT));
    settings.put("factors", m.factors());
    settings.put("featureDimension", featureDimension);
    settings.put("initStd", m.initStd());
    settings.put("seed", m.seed());
    settings.put("globalSteps", m.globalSteps());
    settings.put("rateDecay", m.rateDecay());
    settings.put("globalRegularization", m.globalRegularization());
    settings.put("epochs", m.epochs());
    settings.put("personalEpochs", m.personalEpochs());
    settings.put("local", m.local().toString());
    settings.put("mtl", m.mtl().toString() + " anchorPull=" + m.mtl().regularization());
    settings.put(
        "adaptiveCandidates", m.adaptiveCandidates().stream().map(Object::toString).toList());
    settings.put("paper", m.paper().toString());
    settings.put("regroupEvery", m.regroupEvery());
    settings.put("likeThreshold", config.likeThreshold());
    settings.put("testFraction", config.testFraction());
    settings.put("validationFraction", config.validationFraction());
    return settings;
  }
}
