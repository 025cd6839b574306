package io.personalize.model;

import java.util.Arrays;

/**
 * The shared block of the model: the global mean, item biases and factors, and the global weights
 * over item features. The global trainer owns the master copy; personal learners read it (or a
 * replica advanced by gradient checkpoints) and never write it.
 *
 * <p>Items are dense indices; the arrays grow on demand, and a new item's factors start from the
 * {@link Initializer}'s deterministic values.
 */
public final class SharedParameters {
  private final int factors;
  private final Initializer initializer;
  private final java.util.function.IntToLongFunction itemSeed;
  public double mean;
  private double[] itemBias;
  private double[] itemFactors;
  private final double[] featureWeights;
  private int items;

  public SharedParameters(
      int factors, int featureDimension, double initialMean, Initializer initializer) {
    this(factors, featureDimension, initialMean, initializer, item -> item);
  }

  /**
   * @param itemSeed the seed of item {@code i}'s initial factors: a hash of the item's id, so that
   *     the same item starts from the same values whatever order items arrive in (in the evaluator,
   *     in the job, after a restart)
   */
  public SharedParameters(
      int factors,
      int featureDimension,
      double initialMean,
      Initializer initializer,
      java.util.function.IntToLongFunction itemSeed) {
    if (factors < 0 || featureDimension < 0) {
      throw new IllegalArgumentException("factors and feature dimension must be >= 0");
    }
    this.factors = factors;
    this.initializer = initializer;
    this.itemSeed = itemSeed;
    this.mean = initialMean;
    this.itemBias = new double[16];
    this.itemFactors = new double[16 * factors];
    this.featureWeights = new double[featureDimension];
  }

  private SharedParameters(SharedParameters other) {
    this.factors = other.factors;
    this.initializer = other.initializer;
    this.itemSeed = other.itemSeed;
    this.mean = other.mean;
    this.itemBias = other.itemBias.clone();
    this.itemFactors = other.itemFactors.clone();
    this.featureWeights = other.featureWeights.clone();
    this.items = other.items;
  }

  /** A deep copy: used for the literal batch form, which keeps the global model of every epoch. */
  public SharedParameters copy() {
    return new SharedParameters(this);
  }

  /** Makes item {@code item} addressable, initializing every new row up to it. */
  public void ensureItem(int item) {
    if (item < items) {
      return;
    }
    if (item >= itemBias.length) {
      int capacity = Math.max(item + 1, itemBias.length * 2);
      itemBias = Arrays.copyOf(itemBias, capacity);
      itemFactors = Arrays.copyOf(itemFactors, capacity * factors);
    }
    for (int i = items; i <= item; i++) {
      initializer.fill(
          itemFactors, i * factors, factors, itemSeed.applyAsLong(i), Initializer.ITEM_STREAM);
    }
    items = item + 1;
  }

  public int items() {
    return items;
  }

  public int factors() {
    return factors;
  }

  public int featureDimension() {
    return featureWeights.length;
  }

  public double itemBias(int item) {
    return itemBias[item];
  }

  /**
   * The mean plus the item's bias: the item-neighbourhood correction's baseline before the user's
   * bias. An item this block has not seen yet has no bias.
   */
  public double itemBaseline(int item) {
    return mean + (item < items ? itemBias[item] : 0);
  }

  public void addItemBias(int item, double delta) {
    itemBias[item] += delta;
  }

  /** Backing array of all item factors; row {@code i} starts at {@code i * factors()}. */
  public double[] itemFactors() {
    return itemFactors;
  }

  public double[] featureWeights() {
    return featureWeights;
  }
}
