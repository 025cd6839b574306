package io.personalize.rank;

import java.util.Arrays;

/**
 * Maximal Marginal Relevance re-ranking: picks items one at a time, each time the candidate with
 * the highest {@code (1 - beta) * relevance - beta * (max similarity to the items already chosen)},
 * so an item close to one already in the list must be much more relevant to follow it.
 *
 * <p>Relevance is min-max scaled to [0, 1] within the candidates first, so that beta weighs
 * relevance against similarity the same way whatever the scale of the model's scores (all-equal
 * relevance scales to 1). Before the first pick the similarity term is 0. Ties go to the earlier
 * candidate, so callers pass candidates in rank order. O(k n) similarity calls for n candidates.
 */
public final class Mmr {
  private final double beta;

  /**
   * @param beta the weight of diversity, in [0, 1]: 0 keeps the relevance order
   */
  public Mmr(double beta) {
    if (!(beta >= 0 && beta <= 1)) {
      throw new IllegalArgumentException("beta must be in [0, 1], was " + beta);
    }
    this.beta = beta;
  }

  public double beta() {
    return beta;
  }

  /**
   * Up to {@code k} of {@code items}, in the order MMR picks them.
   *
   * @param relevance the candidates' scores, parallel to {@code items}; not NaN
   * @param similarity must not be NaN for any pair of candidates
   */
  public int[] rerank(int[] items, double[] relevance, int k, ItemSimilarity similarity) {
    int n = items.length;
    if (relevance.length != n) {
      throw new IllegalArgumentException(
          "items and relevance differ in length: " + n + " vs " + relevance.length);
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(relevance[i])) {
        throw new IllegalArgumentException("relevance of candidate " + i + " is NaN");
      }
      min = Math.min(min, relevance[i]);
      max = Math.max(max, relevance[i]);
    }
    double range = max - min;
    double[] gain = new double[n];
    for (int i = 0; i < n; i++) {
      gain[i] = (1 - beta) * (range > 0 ? (relevance[i] - min) / range : 1);
    }
    double[] maxSimilarity = new double[n];
    Arrays.fill(maxSimilarity, Double.NEGATIVE_INFINITY);
    boolean[] chosen = new boolean[n];
    int[] picked = new int[Math.min(Math.max(k, 0), n)];
    for (int step = 0; step < picked.length; step++) {
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (!chosen[i]) {
          double score = step == 0 ? gain[i] : gain[i] - beta * maxSimilarity[i];
          if (best < 0 || score > bestScore) {
            best = i;
            bestScore = score;
          }
        }
      }
      chosen[best] = true;
      picked[step] = items[best];
      for (int i = 0; i < n && step + 1 < picked.length; i++) {
        if (!chosen[i]) {
          double s = similarity.between(items[i], items[best]);
          if (Double.isNaN(s)) {
            throw new IllegalArgumentException(
                "similarity of items " + items[i] + " and " + items[best] + " is NaN");
          }
          maxSimilarity[i] = Math.max(maxSimilarity[i], s);
        }
      }
    }
    return picked;
  }
}
