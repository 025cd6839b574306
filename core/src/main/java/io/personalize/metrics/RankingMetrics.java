package io.personalize.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Top-N ranking metrics of one user's list, given as parallel arrays of model scores and relevance.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Order: items are ranked by score descending; equal scores keep input order (earlier index
 *       ranks higher; -0.0 equals 0.0). The rule is fixed so results are reproducible, and it is
 *       neither optimistic nor pessimistic on its own: callers who want either must break ties in
 *       the scores. Ranks are 1-based.
 *   <li>Cut-off: an effective cut of {@code k <= 0 || k > n ? n : k} is used by every {@code @K}
 *       metric, so {@code k = 0} means the whole list and a K past the end never reaches beyond it.
 *   <li>No relevant item: AP, reciprocal rank, nDCG, hit rate, precision and recall are all 0
 *       (never NaN), so a single call is always a number. Such a user carries no information about
 *       the ranking, so {@link RankingAccumulator} skips it rather than averaging these zeros in.
 *   <li>Empty list: every metric is 0 (it is a list with no relevant item).
 *   <li>Scores must not be NaN and the arrays must have equal length ({@link
 *       IllegalArgumentException} otherwise). Inputs are never modified. O(n log n) per call.
 * </ul>
 */
public final class RankingMetrics {

  private RankingMetrics() {}

  /**
   * Indices of {@code scores} in rank order: highest score first, equal scores by ascending index.
   */
  public static int[] ranking(double[] scores) {
    Objects.requireNonNull(scores, "scores");
    Inputs.checkScores(scores, scores.length);
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Arrays.sort on objects is a stable merge sort: equal scores keep ascending index order.
    Arrays.sort(order, (a, b) -> compareDescending(scores[a], scores[b]));
    int[] result = new int[order.length];
    for (int i = 0; i < result.length; i++) {
      result[i] = order[i];
    }
    return result;
  }

  /**
   * Average precision over all relevant items of the list: the mean, over relevant items, of the
   * precision at each one's rank. 0 when nothing is relevant.
   */
  public static double averagePrecision(double[] scores, boolean[] relevant) {
    boolean[] ranked = rankedRelevance(scores, relevant);
    return averagePrecision(ranked, countRelevant(ranked));
  }

  /** 1 / rank of the first relevant item; 0 when nothing is relevant. */
  public static double reciprocalRank(double[] scores, boolean[] relevant) {
    return reciprocalRank(rankedRelevance(scores, relevant));
  }

  /**
   * Binary-gain nDCG at {@code k}: DCG with gain 1 for a relevant item and discount {@code
   * 1/log2(rank + 1)}, divided by the DCG of the ideal ordering at the same cut. 0 when nothing is
   * relevant.
   */
  public static double ndcg(double[] scores, boolean[] relevant, int k) {
    boolean[] ranked = rankedRelevance(scores, relevant);
    return ndcg(ranked, countRelevant(ranked), k);
  }

  /**
   * Graded-gain nDCG at {@code k} for rating data. Gains are used linearly ({@code gain / log2(rank
   * + 1)}), not as {@code 2^g - 1}: linear keeps the scale of a 1-5 rating, so a 5 counts 5/4 of a
   * 4 rather than 31/15 of it, and 0/1 gains reproduce the binary {@link #ndcg(double[], boolean[],
   * int)} exactly. The ideal DCG sorts the gains descending at the same cut. Gains must be finite
   * and non-negative (a negative gain would let nDCG leave [0, 1]); 0 when all gains are 0.
   */
  public static double ndcg(double[] scores, double[] gains, int k) {
    Objects.requireNonNull(gains, "gains");
    Inputs.checkScores(scores, gains.length);
    for (int i = 0; i < gains.length; i++) {
      if (!(Double.isFinite(gains[i]) && gains[i] >= 0.0)) {
        throw new IllegalArgumentException(
            "gain at index " + i + " must be finite and >= 0, got " + gains[i]);
      }
    }
    int n = gains.length;
    int cut = cut(k, n);
    int[] order = ranking(scores);
    double dcg = 0.0;
    for (int r = 0; r < cut; r++) {
      dcg += gains[order[r]] * discount(r + 1);
    }
    double[] ideal = gains.clone();
    Arrays.sort(ideal); // ascending: the ideal list reads it from the end
    double idcg = 0.0;
    for (int r = 0; r < cut; r++) {
      idcg += ideal[n - 1 - r] * discount(r + 1);
    }
    return idcg == 0.0 ? 0.0 : dcg / idcg;
  }

  /** 1 if any relevant item is in the top {@code k}, else 0. */
  public static double hitRate(double[] scores, boolean[] relevant, int k) {
    return hitRate(rankedRelevance(scores, relevant), k);
  }

  /**
   * Relevant items in the top {@code k}, divided by the effective cut {@code min(k, n)} rather than
   * by {@code k}: a list shorter than K is not penalised for items it was never given. So
   * precision@10 of a 4-item list with 2 relevant is 2/4. 0 for an empty list.
   */
  public static double precisionAtK(double[] scores, boolean[] relevant, int k) {
    return precisionAtK(rankedRelevance(scores, relevant), k);
  }

  /** Relevant items in the top {@code k}, divided by all relevant items; 0 when none relevant. */
  public static double recallAtK(double[] scores, boolean[] relevant, int k) {
    boolean[] ranked = rankedRelevance(scores, relevant);
    return recallAtK(ranked, countRelevant(ranked), k);
  }

  // The package-private overloads below take relevance already in rank order, so that
  // RankingAccumulator sorts each user once for all of its metrics.

  static boolean[] rankedRelevance(double[] scores, boolean[] relevant) {
    Objects.requireNonNull(relevant, "relevant");
    Inputs.checkScores(scores, relevant.length);
    int[] order = ranking(scores);
    boolean[] ranked = new boolean[order.length];
    for (int r = 0; r < order.length; r++) {
      ranked[r] = relevant[order[r]];
    }
    return ranked;
  }

  static int countRelevant(boolean[] ranked) {
    int count = 0;
    for (boolean rel : ranked) {
      if (rel) {
        count++;
      }
    }
    return count;
  }

  static double averagePrecision(boolean[] ranked, int relevantCount) {
    if (relevantCount == 0) {
      return 0.0;
    }
    double sum = 0.0;
    int hits = 0;
    for (int r = 0; r < ranked.length; r++) {
      if (ranked[r]) {
        hits++;
        sum += (double) hits / (r + 1);
      }
    }
    return sum / relevantCount;
  }

  static double reciprocalRank(boolean[] ranked) {
    for (int r = 0; r < ranked.length; r++) {
      if (ranked[r]) {
        return 1.0 / (r + 1);
      }
    }
    return 0.0;
  }

  static double ndcg(boolean[] ranked, int relevantCount, int k) {
    int cut = cut(k, ranked.length);
    double dcg = 0.0;
    for (int r = 0; r < cut; r++) {
      if (ranked[r]) {
        dcg += discount(r + 1);
      }
    }
    double idcg = 0.0;
    for (int r = 0, idealHits = Math.min(cut, relevantCount); r < idealHits; r++) {
      idcg += discount(r + 1);
    }
    return idcg == 0.0 ? 0.0 : dcg / idcg;
  }

  static double hitRate(boolean[] ranked, int k) {
    return hitsInTop(ranked, k) > 0 ? 1.0 : 0.0;
  }

  static double precisionAtK(boolean[] ranked, int k) {
    int cut = cut(k, ranked.length);
    return cut == 0 ? 0.0 : (double) hitsInTop(ranked, k) / cut;
  }

  static double recallAtK(boolean[] ranked, int relevantCount, int k) {
    return relevantCount == 0 ? 0.0 : (double) hitsInTop(ranked, k) / relevantCount;
  }

  /** Effective cut-off: the whole list for {@code k <= 0} or {@code k > n}. */
  static int cut(int k, int n) {
    return k <= 0 || k > n ? n : k;
  }

  private static int hitsInTop(boolean[] ranked, int k) {
    int cut = cut(k, ranked.length);
    int hits = 0;
    for (int r = 0; r < cut; r++) {
      if (ranked[r]) {
        hits++;
      }
    }
    return hits;
  }

  /** 1 / log2(rank + 1) for a 1-based rank. */
  private static double discount(int rank) {
    return Math.log(2.0) / Math.log(rank + 1.0);
  }

  /** Descending order that treats -0.0 and 0.0 as equal (unlike {@link Double#compare}). */
  private static int compareDescending(double a, double b) {
    return a > b ? -1 : a < b ? 1 : 0;
  }
}
