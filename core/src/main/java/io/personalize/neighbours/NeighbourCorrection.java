package io.personalize.neighbours;

import java.util.Arrays;

/**
 * The item-neighbourhood correction of a rating prediction: what the model's residuals on a user's
 * earlier items say about its residual on this one, through how the items' residuals correlate over
 * the users who rated both. A factor model compresses every item into k numbers; the correction
 * sees pairs of items the compression blurs.
 *
 * <p>correction = weight x sum(s_j x r_j) / (sum |s_j| + {@link
 * NeighbourSettings#DENOMINATOR_DAMPING}), over the {@link NeighbourSettings#neighbours()} items j
 * of the user's history with the largest |s_j| (the earliest first among equals), where s_j is the
 * item's similarity to j ({@link ItemPartners#similarity}) and r_j the model's residual on j.
 *
 * <p>Not thread-safe: it keeps scratch arrays between calls.
 */
public final class NeighbourCorrection {
  private final NeighbourSettings settings;
  private double[] similarities = new double[0];
  private double[] magnitudes = new double[0];

  public NeighbourCorrection(NeighbourSettings settings) {
    this.settings = settings;
  }

  public NeighbourSettings settings() {
    return settings;
  }

  /**
   * What to add to the model's prediction of {@code user}'s rating of {@code item}, whose partners
   * are {@code partners}; 0 when no earlier item of the user is a partner.
   */
  public double of(UserResiduals user, int item, ItemPartners partners) {
    return of(user.items, user.modelResiduals, user.size, item, partners);
  }

  /**
   * The same from a user's history as arrays: the first {@code size} of {@code items} and of the
   * model's residuals on them.
   */
  public double of(int[] items, float[] modelResiduals, int size, int item, ItemPartners partners) {
    if (similarities.length < size) {
      similarities = new double[size];
      magnitudes = new double[size];
    }
    int candidates = 0;
    for (int n = 0; n < size; n++) {
      double s = items[n] == item ? Double.NaN : partners.similarity(items[n]);
      similarities[n] = s;
      if (!Double.isNaN(s)) {
        magnitudes[candidates++] = Math.abs(s);
      }
    }
    // Every candidate counts when there are few enough; otherwise those above the k-th largest |s|
    // and, of those equal to it, the earliest.
    double threshold = -1;
    if (candidates > settings.neighbours()) {
      Arrays.sort(magnitudes, 0, candidates);
      threshold = magnitudes[candidates - settings.neighbours()];
    }
    int atThreshold = settings.neighbours();
    for (int n = 0; n < size; n++) {
      if (Math.abs(similarities[n]) > threshold) {
        atThreshold--;
      }
    }
    double weighted = 0;
    double total = 0;
    for (int n = 0; n < size; n++) {
      double s = similarities[n];
      double magnitude = Math.abs(s);
      if (Double.isNaN(s) || magnitude < threshold) {
        continue;
      }
      if (magnitude == threshold && atThreshold-- <= 0) {
        continue;
      }
      weighted += s * modelResiduals[n];
      total += magnitude;
    }
    return settings.weight() * weighted / (total + NeighbourSettings.DENOMINATOR_DAMPING);
  }
}
