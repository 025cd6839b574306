package io.personalize.metrics;

import java.util.Objects;

/**
 * Shared argument checks for the per-list metrics.
 *
 * <p>Contract: scores and their labels must be non-null, of equal length, and scores must not be
 * NaN. NaN has no place in an order, so any ranking or AUC computed with one would depend on sort
 * internals; failing fast points at the model that produced it instead.
 */
final class Inputs {

  private Inputs() {}

  static void checkScores(double[] scores, int labelsLength) {
    Objects.requireNonNull(scores, "scores");
    if (scores.length != labelsLength) {
      throw new IllegalArgumentException(
          "scores and labels differ in length: " + scores.length + " vs " + labelsLength);
    }
    for (int i = 0; i < scores.length; i++) {
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException("score at index " + i + " is NaN");
      }
    }
  }
}
