package io.personalize.perf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Latency of events at a given arrival rate.
 *
 * @param eventsPerSecond the rate events were sent at
 * @param toQueryableState arrival to the user's state in queryable state
 * @param toPublishedList arrival to a list of the user's on the recommendations topic
 * @param queryableStateTail how the slowest samples to queryable state line up with checkpoints;
 *     null when not measured
 */
public record LatencyReport(
    double eventsPerSecond,
    Percentiles toQueryableState,
    Percentiles toPublishedList,
    LatencyTail queryableStateTail) {

  /**
   * @param samples sampled events seen
   * @param unseen sampled events not seen before the probe gave up
   */
  public record Percentiles(
      int samples, int unseen, long p50Millis, long p95Millis, long p99Millis) {
    static Percentiles of(List<Long> millis, int unseen) {
      List<Long> sorted;
      synchronized (millis) {
        sorted = new ArrayList<>(millis);
      }
      Collections.sort(sorted);
      return new Percentiles(
          sorted.size(), unseen, at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99));
    }

    /** The nearest-rank percentile; -1 without samples. */
    private static long at(List<Long> sorted, double q) {
      if (sorted.isEmpty()) {
        return -1;
      }
      int rank = (int) Math.ceil(q * sorted.size());
      return sorted.get(Math.max(0, rank - 1));
    }
  }
}
