package io.personalize.neighbours;

/**
 * How the item-neighbourhood correction of a rating prediction is made ({@link
 * NeighbourCorrection}).
 *
 * <p>The constants were chosen on ml-100k's prequential protocol, out of 972 settings replayed
 * offline (docs/evaluation.md, "An item-kNN correction"): similarities from the baseline's
 * residuals and the correction from the model's, the largest |s| rather than the positive
 * neighbours, the correction on every event.
 *
 * @param neighbours at most this many of the user's earlier items, those most similar in absolute
 *     value to the item, make the correction (40)
 * @param history a user's latest items kept with their residuals (100): the candidates for
 *     neighbours and the partners each new rating updates
 * @param partners an item keeps the residual sums of at most this many partner items; a new partner
 *     beyond it replaces the one {@link ItemPartners} deems weakest
 * @param weight the share of the neighbours' weighted mean residual added to the prediction (0.5)
 */
public record NeighbourSettings(int neighbours, int history, int partners, double weight)
    implements java.io.Serializable {
  /**
   * A similarity from n co-raters is shrunk by n / (n + this): two items rated by 100 common users
   * count half.
   */
  public static final double SIMILARITY_SHRINK = 100;

  /**
   * Added to the sum of |s| in the correction's denominator: a user whose earlier items are barely
   * similar to the item gets little correction, not a full mean of weak neighbours.
   */
  public static final double DENOMINATOR_DAMPING = 0.5;

  /**
   * The baseline's user bias counts the user's mean residual against the global model's mean and
   * item bias as if this many zeros came first.
   */
  public static final double USER_BIAS_SHRINK = 10;

  public static final int DEFAULT_NEIGHBOURS = 40;
  public static final int DEFAULT_HISTORY = 100;
  public static final int DEFAULT_PARTNERS = 1000;
  public static final double DEFAULT_WEIGHT = 0.5;

  public NeighbourSettings {
    if (neighbours < 1 || history < 1 || partners < 1) {
      throw new IllegalArgumentException(
          "need at least 1 neighbour, history item and partner, was "
              + neighbours
              + ", "
              + history
              + ", "
              + partners);
    }
    if (!(weight > 0 && weight <= 1)) {
      throw new IllegalArgumentException("need a weight in (0, 1], was " + weight);
    }
  }

  public static NeighbourSettings defaults() {
    return new NeighbourSettings(
        DEFAULT_NEIGHBOURS, DEFAULT_HISTORY, DEFAULT_PARTNERS, DEFAULT_WEIGHT);
  }
}
