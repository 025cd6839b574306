package io.personalize.model;

/**
 * Applies a {@link Gradient} as one SGD step. The shared and the personal block have their own step
 * sizes; a step size of 0 leaves that block untouched, which is how a personal learner reads the
 * shared block without writing it, and how a global trainer keeps a user row without personal
 * feature weights.
 */
public final class Sgd {
  private Sgd() {}

  public static void applyShared(
      Gradient g, SharedParameters shared, int item, FeatureVector x, double rate, ModelKind kind) {
    if (rate == 0) {
      return;
    }
    shared.mean -= rate * g.mean;
    shared.addItemBias(item, -rate * g.itemBias);
    if (kind.usesFactors()) {
      double[] p = shared.itemFactors();
      int k = g.itemFactors.length;
      int base = item * k;
      for (int f = 0; f < k; f++) {
        p[base + f] -= rate * g.itemFactors[f];
      }
    }
    if (kind.usesFeatures()) {
      double[] w = shared.featureWeights();
      for (int n = 0; n < x.size(); n++) {
        w[x.index(n)] -= rate * g.featureWeights[n];
      }
    }
  }

  /** Steps b_u and q_u at {@code rate} and w_u (if the row has it) at {@code featureRate}. */
  public static void applyPersonal(
      Gradient g,
      PersonalParameters personal,
      FeatureVector x,
      double rate,
      double featureRate,
      ModelKind kind) {
    if (rate != 0) {
      personal.bias -= rate * g.userBias;
      if (kind.usesFactors()) {
        double[] q = personal.factors;
        for (int f = 0; f < q.length; f++) {
          q[f] -= rate * g.userFactors[f];
        }
      }
    }
    if (featureRate != 0 && kind.usesFeatures() && personal.hasFeatureWeights()) {
      double[] wu = personal.featureWeights;
      for (int n = 0; n < x.size(); n++) {
        wu[x.index(n)] -= featureRate * g.userFeatureWeights[n];
      }
    }
  }
}
