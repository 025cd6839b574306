package io.personalize.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Area under the ROC curve of one scored, labelled set.
 *
 * <p>Contract: computed by the rank-sum (Mann-Whitney U) formula, {@code (R+ - P(P+1)/2) / (P N)},
 * where {@code R+} is the sum of the ascending ranks of the P positives among all n items and N is
 * the number of negatives. Tied scores share the average of the ranks they span, which makes the
 * result equal to the probability that a random positive outscores a random negative with ties
 * counted as 1/2 (so all-equal scores give 0.5, not an artefact of input order). Returns {@code
 * NaN} when there are no positives or no negatives, since the AUC is undefined there. -0.0 and 0.0
 * are the same score. O(n log n) time, O(n) extra memory; the inputs are not modified.
 */
public final class Auc {

  private Auc() {}

  /**
   * AUC of {@code scores} against {@code labels} (true = positive).
   *
   * @throws IllegalArgumentException if the lengths differ or a score is NaN
   */
  public static double of(double[] scores, boolean[] labels) {
    Objects.requireNonNull(labels, "labels");
    Inputs.checkScores(scores, labels.length);
    int n = scores.length;
    int positives = 0;
    for (boolean label : labels) {
      if (label) {
        positives++;
      }
    }
    int negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }

    // Two primitive sorts instead of sorting boxed indices: all scores give the rank of every tie
    // group, the positive scores alone tell how many positives fall into each group.
    double[] all = scores.clone();
    double[] positiveScores = new double[positives];
    for (int i = 0, p = 0; i < n; i++) {
      if (labels[i]) {
        positiveScores[p++] = scores[i];
      }
    }
    Arrays.sort(all);
    Arrays.sort(positiveScores);

    double positiveRankSum = 0.0;
    int p = 0;
    int start = 0;
    while (start < n) {
      double value = all[start];
      int end = start + 1; // exclusive; == also groups -0.0 with 0.0, which sort adjacently
      while (end < n && all[end] == value) {
        end++;
      }
      // 1-based ranks start+1 .. end share their mean.
      double averageRank = (start + 1 + end) / 2.0;
      int positivesInGroup = 0;
      while (p < positives && positiveScores[p] == value) {
        p++;
        positivesInGroup++;
      }
      positiveRankSum += positivesInGroup * averageRank;
      start = end;
    }

    double u = positiveRankSum - (double) positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }
}
