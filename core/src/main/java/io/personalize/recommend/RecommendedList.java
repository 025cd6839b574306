package io.personalize.recommend;

import io.personalize.metrics.TopNAccumulator;

/**
 * A list of recommended items, best first: item indices, their scores and where each came from.
 * Scores are comparable only between items of the same source: the ranking model's score for ranked
 * items, the walk score for walk candidates that were not ranked, the popularity for the items that
 * fill the list.
 */
public record RecommendedList(int[] items, double[] scores, ItemSource[] sources) {
  public int size() {
    return items.length;
  }

  /** 1-based position of {@code item} in the list, 0 when it is not in it. */
  public int rankOf(int item) {
    return TopNAccumulator.rankOf(items, items.length, item);
  }
}
