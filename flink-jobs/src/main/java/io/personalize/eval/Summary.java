package io.personalize.eval;

import java.util.List;
import java.util.Map;

/**
 * Everything one evaluation run measured; written as {@code summary.json}.
 *
 * @param modes metrics per mode name, in run order
 * @param adaptiveSelection the adaptive mode's chosen setting per group
 * @param settings the hyper-parameters used, for reproducing the run
 * @param recommenders the top-N protocols' metrics per recommender, in run order; empty for the
 *     rating protocols
 */
public record Summary(
    String dataset,
    String protocol,
    String model,
    String target,
    int events,
    int users,
    int items,
    int groups,
    double seconds,
    Map<String, ModeResult> modes,
    List<String> adaptiveSelection,
    Map<String, Object> settings,
    Map<String, RecommenderResult> recommenders) {

  /** A rating protocol's summary: no recommenders. */
  public Summary(
      String dataset,
      String protocol,
      String model,
      String target,
      int events,
      int users,
      int items,
      int groups,
      double seconds,
      Map<String, ModeResult> modes,
      List<String> adaptiveSelection,
      Map<String, Object> settings) {
    this(
        dataset,
        protocol,
        model,
        target,
        events,
        users,
        items,
        groups,
        seconds,
        modes,
        adaptiveSelection,
        settings,
        Map.of());
  }
}
