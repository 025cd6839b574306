package io.personalize.neighbours;

import io.personalize.online.Prediction;
import java.util.Arrays;

/**
 * One rating on its way from the per-user operator to its item's neighbourhood: the model's
 * prediction to correct and pass on, the user's earlier items as they were before the rating (the
 * neighbours, and the partners the item's own sums take the rating with), and the rating's baseline
 * residual. A Flink POJO.
 */
public class NeighbourRequest {
  /** The rated item (an id hash). */
  public int item;

  /** The model's prediction, unclamped, in {@link Prediction#prediction}. */
  public Prediction prediction;

  /** The rating's baseline residual. */
  public double residual;

  /** The user's earlier items (id hashes), oldest first. */
  public int[] history = new int[0];

  /** {@code baselineResiduals[n]}: the baseline residual of the user's rating of history[n]. */
  public float[] baselineResiduals = new float[0];

  /** {@code modelResiduals[n]}: the rating of history[n] minus the model's prediction then. */
  public float[] modelResiduals = new float[0];

  public NeighbourRequest() {}

  /** A request with {@code user}'s history as it is now. */
  public static NeighbourRequest of(
      int item, Prediction prediction, double residual, UserResiduals user) {
    NeighbourRequest request = new NeighbourRequest();
    request.item = item;
    request.prediction = prediction;
    request.residual = residual;
    request.history = Arrays.copyOf(user.items, user.size);
    request.baselineResiduals = Arrays.copyOf(user.baselineResiduals, user.size);
    request.modelResiduals = Arrays.copyOf(user.modelResiduals, user.size);
    return request;
  }

  /**
   * Adds the rating to the item's sums, as a common rater with each earlier item of the user but
   * the item itself.
   */
  public void applyTo(ItemPartners sums, int capacity) {
    for (int n = 0; n < history.length; n++) {
      if (history[n] != item) {
        sums.add(history[n], residual, baselineResiduals[n], capacity);
      }
    }
  }
}
