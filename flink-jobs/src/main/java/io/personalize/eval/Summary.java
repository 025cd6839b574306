package io.personalize.eval;

import java.util.List;
import java.util.Map;

/**
 * Everything one evaluation run measured; written as {@code summary.json}.
 *
 * @param modes metrics per mode name, in run order
 * @param adaptiveSelection the adaptive mode's chosen setting per group
 * @param settings the hyper-parameters used, for reproducing the run
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
    Map<String, Object> settings) {}
