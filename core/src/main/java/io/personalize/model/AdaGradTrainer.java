package io.personalize.model;

import java.util.Arrays;

/**
 * The batch global model's other trainer: AdaGrad on the rows. Each item's and user's bias and
 * factors step at {@code rate / sqrt(1 + G) * g}, G the sum of that parameter's squared gradients
 * so far, so a row seen often takes small steps and a rare one keeps large ones; the global mean
 * and the feature weights keep the {@link GlobalTrainer}'s SGD steps. The random batch protocol
 * chooses between this and plain SGD by the global model's loss on its held-out folds ({@link
 * SelfTuning#adaGradRate}).
 *
 * <p>The accumulators of the user rows are the caller's, as the rows are: one {@link
 * PersonalParameters} per user whose bias and factors hold the sums.
 */
public final class AdaGradTrainer {
  /**
   * The constant under the square root: the first step of a parameter is about {@code rate}, as an
   * SGD step would be. Chosen with the rate on ml-100k (eps 1e-8, common elsewhere, was worse).
   */
  static final double EPS = 1;

  private final GlobalTrainer sgd;
  private final double rate;
  private final Gradient gradient;
  private final int factors;
  private double[] itemBiasSquares = new double[16];
  private double[] itemFactorSquares;

  /**
   * @param sgd the trainer whose model, shared block, regularization and (mean and feature) steps
   *     this one uses
   * @param rate AdaGrad's base rate
   */
  public AdaGradTrainer(GlobalTrainer sgd, double rate) {
    if (!(rate > 0 && rate < 1)) {
      throw new IllegalArgumentException("AdaGrad rate must be in (0, 1): " + rate);
    }
    this.sgd = sgd;
    this.rate = rate;
    this.factors = sgd.model().factors();
    this.gradient = new Gradient(factors);
    this.itemFactorSquares = new double[16 * factors];
  }

  /** A user's accumulators, all zero: as long as its row of the global model. */
  public PersonalParameters newUserSquares() {
    return new PersonalParameters(sgd.model().kind().globalHasUserRows() ? factors : 0, 0);
  }

  /**
   * One step on the event; returns the prediction made before it.
   *
   * @param squares the user's accumulators ({@link #newUserSquares})
   */
  public double learn(
      PersonalParameters userRow,
      PersonalParameters squares,
      int item,
      FeatureVector x,
      double label) {
    SharedParameters shared = sgd.shared();
    shared.ensureItem(item);
    ensureItem(item);
    Model model = sgd.model();
    double prediction =
        model.gradient(shared, userRow, null, item, x, label, sgd.regularization(), gradient);
    StepSizes steps = sgd.steps();
    shared.mean -= steps.mean() * gradient.mean;
    itemBiasSquares[item] += gradient.itemBias * gradient.itemBias;
    shared.addItemBias(item, -step(itemBiasSquares[item]) * gradient.itemBias);
    double[] p = shared.itemFactors();
    int base = item * factors;
    for (int f = 0; f < factors; f++) {
      double g = gradient.itemFactors[f];
      itemFactorSquares[base + f] += g * g;
      p[base + f] -= step(itemFactorSquares[base + f]) * g;
    }
    if (model.featureDimension() > 0) {
      double[] w = shared.featureWeights();
      for (int k = 0; k < x.size(); k++) {
        w[x.index(k)] -= steps.feature() * gradient.featureWeights[k];
      }
    }
    if (model.kind().globalHasUserRows()) {
      squares.bias += gradient.userBias * gradient.userBias;
      userRow.bias -= step(squares.bias) * gradient.userBias;
      for (int f = 0; f < factors; f++) {
        double g = gradient.userFactors[f];
        squares.factors[f] += g * g;
        userRow.factors[f] -= step(squares.factors[f]) * g;
      }
    }
    return prediction;
  }

  private double step(double squares) {
    return rate / Math.sqrt(EPS + squares);
  }

  private void ensureItem(int item) {
    if (item >= itemBiasSquares.length) {
      int capacity = Math.max(item + 1, itemBiasSquares.length * 2);
      itemBiasSquares = Arrays.copyOf(itemBiasSquares, capacity);
      itemFactorSquares = Arrays.copyOf(itemFactorSquares, capacity * factors);
    }
  }
}
