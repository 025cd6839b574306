package io.personalize.model;

/**
 * A reusable buffer for the gradient of one event's objective. Shared parts refer to the event's
 * item (b_i, p_i) and to the global weights of the event's non-zero features; personal parts to the
 * user's block. Feature gradients are aligned with the event's {@link FeatureVector}: entry k is
 * the derivative for feature index {@code x.index(k)}.
 */
public final class Gradient {
  public double prediction;
  public double residual;
  public double mean;
  public double itemBias;
  public final double[] itemFactors;
  public double[] featureWeights;
  public double userBias;
  public final double[] userFactors;
  public double[] userFeatureWeights;

  public Gradient(int factors) {
    this.itemFactors = new double[factors];
    this.userFactors = new double[factors];
    this.featureWeights = new double[8];
    this.userFeatureWeights = new double[8];
  }

  /**
   * Multiplies this gradient by {@code weight}: it becomes the gradient of {@code weight} times the
   * per-event objective, that of an example that counts {@code weight} times (its loss and the lazy
   * regularization of the parameters it touches alike, as if it were seen {@code weight} times at a
   * small step). Prediction and residual stay those of the example; {@code featureNonZeros} is the
   * size of its feature vector, the entries of the feature buffers in use.
   */
  void scale(double weight, int featureNonZeros) {
    if (!(weight >= 0 && weight < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("example weight must be finite and >= 0, was " + weight);
    }
    mean *= weight;
    itemBias *= weight;
    userBias *= weight;
    for (int f = 0; f < itemFactors.length; f++) {
      itemFactors[f] *= weight;
      userFactors[f] *= weight;
    }
    for (int k = 0; k < Math.min(featureNonZeros, featureWeights.length); k++) {
      featureWeights[k] *= weight;
      userFeatureWeights[k] *= weight;
    }
  }

  void ensureFeatures(int nonZeros) {
    if (featureWeights.length < nonZeros) {
      featureWeights = new double[nonZeros];
      userFeatureWeights = new double[nonZeros];
    }
  }
}
