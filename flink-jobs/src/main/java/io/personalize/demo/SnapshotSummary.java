package io.personalize.demo;

import io.personalize.avro.MetricSnapshot;
import io.personalize.eval.Metrics;
import io.personalize.eval.ModeResult;
import io.personalize.eval.RecommenderResult;
import io.personalize.eval.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's latest cumulative metrics in the evaluator's {@link Summary} shape, so the demo writes
 * the same summary.json and chart as {@code personalize evaluate --protocol prequential}.
 */
final class SnapshotSummary {
  private SnapshotSummary() {}

  static final List<String> MODES = List.of("global", "local", "mtl", "adaptive");

  static Summary of(
      MetricsFollower metrics,
      String dataset,
      String model,
      int events,
      int users,
      int items,
      int groups,
      double seconds,
      Map<String, Object> settings,
      String recommender) {
    Map<String, ModeResult> modes = new LinkedHashMap<>();
    for (String mode : MODES) {
      MetricSnapshot overall = metrics.latest(mode, 0);
      if (overall == null) {
        continue;
      }
      List<Metrics> perGroup = new ArrayList<>();
      for (int g = 1; g <= groups; g++) {
        MetricSnapshot s = metrics.latest(mode, g);
        perGroup.add(
            s == null
                ? new Metrics(g, 0, 0, null, null, null, null, null, null, null, null)
                : metrics(s));
      }
      modes.put(mode, new ModeResult(mode, metrics(overall), perGroup));
    }
    return new Summary(
        dataset,
        "prequential",
        model,
        "rating",
        events,
        users,
        items,
        groups,
        seconds,
        modes,
        List.of(),
        settings,
        recommender == null ? Map.of() : recommenders(metrics, recommender, groups));
  }

  /**
   * The job's live list checks in the evaluator's shape ({@code prequential-topn}): hr@K and mrr@K
   * overall and per group; empty when the job made no lists.
   */
  private static Map<String, RecommenderResult> recommenders(
      MetricsFollower metrics, String recommender, int groups) {
    MetricSnapshot overall = metrics.latest(recommender, 0);
    if (overall == null || overall.getHitRate() == null) {
      return Map.of();
    }
    List<RecommenderResult.Group> perGroup = new ArrayList<>();
    for (int g = 1; g <= groups; g++) {
      MetricSnapshot s = metrics.latest(recommender, g);
      perGroup.add(
          new RecommenderResult.Group(
              g, s == null ? 0 : s.getUsers(), s == null ? 0 : s.getEvents(), topN(s)));
    }
    return Map.of(
        recommender, new RecommenderResult(recommender, topN(overall), List.copyOf(perGroup)));
  }

  private static Map<String, Double> topN(MetricSnapshot s) {
    Map<String, Double> values = new LinkedHashMap<>();
    if (s != null && s.getHitRate() != null) {
      values.put("hr@" + s.getK(), s.getHitRate());
      values.put("mrr@" + s.getK(), s.getMrr());
    }
    return values;
  }

  private static Metrics metrics(MetricSnapshot s) {
    return new Metrics(
        s.getGroup(),
        s.getUsers(),
        s.getEvents(),
        s.getRmse(),
        s.getMae(),
        s.getLogloss(),
        s.getAuc(),
        null,
        null,
        null,
        null);
  }
}
