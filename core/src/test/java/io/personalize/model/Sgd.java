package io.personalize.model;

/**
 * The reference form of an SGD step: applies a {@link Gradient} with a {@link StepSizes} per block.
 * The engine's steps ({@link Model#personalStep}, {@link Model#globalStep}) fuse the gradient and
 * its application; tests check them against this, bit for bit. A step of 0 leaves that part
 * untouched, which is how a personal learner reads the shared block without writing it, and how a
 * global trainer keeps a user row without personal feature weights.
 */
final class Sgd {
  private Sgd() {}

  static void applyShared(
      Gradient g,
      SharedParameters shared,
      int item,
      FeatureVector x,
      StepSizes steps,
      ModelKind kind) {
    shared.mean -= steps.mean() * g.mean;
    shared.addItemBias(item, -steps.bias() * g.itemBias);
    if (kind.usesFactors()) {
      double rate = steps.factor();
      double[] p = shared.itemFactors();
      int k = g.itemFactors.length;
      int base = item * k;
      for (int f = 0; f < k; f++) {
        p[base + f] -= rate * g.itemFactors[f];
      }
    }
    if (kind.usesFeatures()) {
      double rate = steps.feature();
      double[] w = shared.featureWeights();
      for (int n = 0; n < x.size(); n++) {
        w[x.index(n)] -= rate * g.featureWeights[n];
      }
    }
  }

  /** Steps b_u, q_u and w_u (if the row has it); the mean step size is not used here. */
  static void applyPersonal(
      Gradient g, PersonalParameters personal, FeatureVector x, StepSizes steps, ModelKind kind) {
    personal.bias -= steps.bias() * g.userBias;
    if (kind.usesFactors()) {
      double rate = steps.factor();
      double[] q = personal.factors;
      for (int f = 0; f < q.length; f++) {
        q[f] -= rate * g.userFactors[f];
      }
    }
    if (kind.usesFeatures() && personal.hasFeatureWeights()) {
      double rate = steps.feature();
      double[] wu = personal.featureWeights;
      for (int n = 0; n < x.size(); n++) {
        wu[x.index(n)] -= rate * g.userFeatureWeights[n];
      }
    }
  }

  /**
   * Multiplies {@code g} by {@code weight}: it becomes the gradient of {@code weight} times the
   * per-event objective, that of an example that counts {@code weight} times. Prediction and
   * residual stay those of the example; {@code featureNonZeros} is the size of its feature vector.
   */
  static void scale(Gradient g, double weight, int featureNonZeros) {
    g.mean *= weight;
    g.itemBias *= weight;
    g.userBias *= weight;
    for (int f = 0; f < g.itemFactors.length; f++) {
      g.itemFactors[f] *= weight;
      g.userFactors[f] *= weight;
    }
    for (int k = 0; k < Math.min(featureNonZeros, g.featureWeights.length); k++) {
      g.featureWeights[k] *= weight;
      g.userFeatureWeights[k] *= weight;
    }
  }
}
