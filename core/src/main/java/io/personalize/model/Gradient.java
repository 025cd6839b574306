package io.personalize.model;

/**
 * A reusable buffer for the gradient of one event's objective. Shared parts refer to the event's
 * item (b_i, p_i) and to the global weights of the event's non-zero features; personal parts to the
 * user's block. Feature gradients are aligned with the event's {@link FeatureVector}: entry k is
 * the derivative for feature index {@code x.index(k)}.
 *
 * <p>The engine's own steps do not buffer the gradient ({@link Model#globalStep}, {@link
 * Model#personalStep}); this is the gradient as a value, which tests check against finite
 * differences and the fused steps against.
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

  void ensureFeatures(int nonZeros) {
    if (featureWeights.length < nonZeros) {
      featureWeights = new double[nonZeros];
      userFeatureWeights = new double[nonZeros];
    }
  }
}
