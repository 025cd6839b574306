package io.personalize.neighbours;

import java.util.Arrays;

/**
 * One user's side of the item-neighbourhood correction: the user's latest rated items, oldest
 * first, each with its residual against the baseline (for the items' similarities) and against the
 * model's prediction (what the correction passes on), and the user's baseline bias. A Flink POJO
 * (the keyed state of a user) as well as the evaluator's per-user record.
 */
public class UserResiduals {
  /** The items (indices or id hashes), oldest first; valid up to {@link #size}. */
  public int[] items = new int[0];

  /** {@code baselineResiduals[n]}: the rating of {@code items[n]} minus the baseline's. */
  public float[] baselineResiduals = new float[0];

  /** {@code modelResiduals[n]}: the rating minus the model's prediction before it learned it. */
  public float[] modelResiduals = new float[0];

  public int size;

  /** The sum of the user's ratings' residuals against the global model's mean and item bias. */
  public double biasSum;

  /** The user's ratings so far. */
  public int ratings;

  public UserResiduals() {}

  /** What learning a rating does with each earlier item of the user: pairs the two. */
  @FunctionalInterface
  public interface PairVisitor {
    /**
     * @param partner an earlier item of the user
     * @param partnerResidual the baseline residual of the user's rating of {@code partner}
     * @param residual the baseline residual of the rating being learned
     */
    void pair(int partner, double partnerResidual, double residual);
  }

  /**
   * The user's side of learning a rating of {@code item}: its residual against the baseline ({@code
   * itemBaseline}, the global model's mean plus the item's bias, then the user's bias) is paired
   * with each earlier item but {@code item} itself, in the history's order; then the item is
   * remembered with both residuals and the bias takes the rating.
   *
   * @return the rating's baseline residual
   */
  public double learn(
      int item,
      double rating,
      double prediction,
      double itemBaseline,
      int capacity,
      PairVisitor pairs) {
    double residual = baselineResidual(rating, itemBaseline);
    for (int n = 0; n < size; n++) {
      if (items[n] != item) {
        pairs.pair(items[n], baselineResiduals[n], residual);
      }
    }
    remember(item, residual, rating - prediction, capacity);
    rated(rating - itemBaseline);
    return residual;
  }

  /**
   * The residual of a rating against the baseline: the rating minus {@code itemBaseline} (the
   * global model's mean plus the item's bias) and the user's bias.
   */
  public double baselineResidual(double rating, double itemBaseline) {
    return rating - itemBaseline - bias();
  }

  /** The user's bias in the baseline: the mean residual, shrunk toward 0. */
  public double bias() {
    return biasSum / (ratings + NeighbourSettings.USER_BIAS_SHRINK);
  }

  /** Counts a rating whose residual against the mean and the item's bias is {@code residual}. */
  public void rated(double residual) {
    biasSum += residual;
    ratings++;
  }

  /**
   * Remembers {@code item} as the latest, keeping at most {@code capacity} items: an item rated
   * again moves to the end with its new residuals, and the oldest leaves a full history.
   */
  public void remember(int item, double baselineResidual, double modelResidual, int capacity) {
    int at = indexOf(item);
    if (at >= 0) {
      remove(at);
    }
    while (size >= capacity) {
      remove(0);
    }
    if (size == items.length) {
      int length = Math.min(capacity, Math.max(4, size * 2));
      items = Arrays.copyOf(items, length);
      baselineResiduals = Arrays.copyOf(baselineResiduals, length);
      modelResiduals = Arrays.copyOf(modelResiduals, length);
    }
    items[size] = item;
    baselineResiduals[size] = (float) baselineResidual;
    modelResiduals[size] = (float) modelResidual;
    size++;
  }

  /** The position of {@code item} in the history, or -1. */
  public int indexOf(int item) {
    for (int n = 0; n < size; n++) {
      if (items[n] == item) {
        return n;
      }
    }
    return -1;
  }

  private void remove(int at) {
    int tail = size - at - 1;
    System.arraycopy(items, at + 1, items, at, tail);
    System.arraycopy(baselineResiduals, at + 1, baselineResiduals, at, tail);
    System.arraycopy(modelResiduals, at + 1, modelResiduals, at, tail);
    size--;
  }
}
