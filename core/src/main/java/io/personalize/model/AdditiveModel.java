package io.personalize.model;

/**
 * z = mu + b_u + b_i + q_u.p_i + (w + w_u).x_i, with the terms of the {@link ModelKind} switched
 * on: MF drops the feature terms, logistic drops the factors.
 */
final class AdditiveModel implements Model {
  private final ModelKind kind;
  private final Loss loss;
  private final int factors;
  private final int featureDimension;

  AdditiveModel(ModelKind kind, Loss loss, int factors, int featureDimension) {
    if (kind.usesFactors() && factors <= 0) {
      throw new IllegalArgumentException(kind + " needs factors > 0, was " + factors);
    }
    this.kind = kind;
    this.loss = loss;
    this.factors = kind.usesFactors() ? factors : 0;
    this.featureDimension = kind.usesFeatures() ? featureDimension : 0;
  }

  @Override
  public ModelKind kind() {
    return kind;
  }

  @Override
  public Loss loss() {
    return loss;
  }

  @Override
  public int factors() {
    return factors;
  }

  @Override
  public int featureDimension() {
    return featureDimension;
  }

  @Override
  public double score(
      SharedParameters shared, PersonalParameters personal, int item, FeatureVector x) {
    double z = shared.mean + personal.bias + shared.itemBias(item);
    if (factors > 0) {
      double[] p = shared.itemFactors();
      double[] q = personal.factors;
      int base = item * factors;
      for (int f = 0; f < factors; f++) {
        z += q[f] * p[base + f];
      }
    }
    if (featureDimension > 0) {
      double[] w = shared.featureWeights();
      double[] wu = personal.featureWeights;
      boolean personalWeights = wu.length > 0;
      for (int k = 0; k < x.size(); k++) {
        int j = x.index(k);
        z += (personalWeights ? w[j] + wu[j] : w[j]) * x.value(k);
      }
    }
    return z;
  }

  @Override
  public double objective(
      SharedParameters shared,
      PersonalParameters personal,
      PersonalParameters anchor,
      int item,
      FeatureVector x,
      double label,
      Regularization reg) {
    double value = loss.loss(predict(shared, personal, item, x), label);
    double userBias = personal.bias - (anchor == null ? 0 : anchor.bias);
    double itemBias = shared.itemBias(item);
    value += 0.5 * reg.bias() * (userBias * userBias + itemBias * itemBias);
    double factorNorm = 0;
    for (int f = 0; f < factors; f++) {
      double q = personal.factors[f] - (anchor == null ? 0 : anchor.factors[f]);
      double p = shared.itemFactors()[item * factors + f];
      factorNorm += q * q + p * p;
    }
    value += 0.5 * reg.factor() * factorNorm;
    if (featureDimension > 0) {
      for (int k = 0; k < x.size(); k++) {
        int j = x.index(k);
        double w = shared.featureWeights()[j];
        value += 0.5 * reg.feature() * w * w;
        if (personal.hasFeatureWeights()) {
          double wu = personal.featureWeights[j];
          value += 0.5 * reg.personalFeature() * wu * wu;
        }
      }
    }
    return value;
  }

  @Override
  public double gradient(
      SharedParameters shared,
      PersonalParameters personal,
      PersonalParameters anchor,
      int item,
      FeatureVector x,
      double label,
      Regularization reg,
      Gradient out) {
    double prediction = predict(shared, personal, item, x);
    double e = loss.residual(prediction, label);
    out.prediction = prediction;
    out.residual = e;
    out.mean = e;
    out.itemBias = e + reg.bias() * shared.itemBias(item);
    out.userBias = e + reg.bias() * (personal.bias - (anchor == null ? 0 : anchor.bias));
    if (factors > 0) {
      double[] p = shared.itemFactors();
      double[] q = personal.factors;
      int base = item * factors;
      double lf = reg.factor();
      for (int f = 0; f < factors; f++) {
        double qf = q[f];
        double pf = p[base + f];
        out.itemFactors[f] = e * qf + lf * pf;
        out.userFactors[f] = e * pf + lf * (qf - (anchor == null ? 0 : anchor.factors[f]));
      }
    }
    if (featureDimension > 0) {
      out.ensureFeatures(x.size());
      double[] w = shared.featureWeights();
      double[] wu = personal.featureWeights;
      boolean personalWeights = wu.length > 0;
      for (int k = 0; k < x.size(); k++) {
        int j = x.index(k);
        double ex = e * x.value(k);
        out.featureWeights[k] = ex + reg.feature() * w[j];
        out.userFeatureWeights[k] = personalWeights ? ex + reg.personalFeature() * wu[j] : 0;
      }
    }
    return prediction;
  }

  @Override
  public double personalStep(
      SharedParameters shared,
      PersonalParameters personal,
      PersonalParameters anchor,
      int item,
      FeatureVector x,
      double label,
      PersonalSettings settings,
      double weight) {
    requireExampleWeight(weight);
    double prediction = predict(shared, personal, item, x);
    double e = loss.residual(prediction, label);
    Regularization reg = settings.regularization();
    StepSizes steps = settings.steps();
    // Each parameter's gradient is taken from its value before the step, and scaled as
    // Gradient.scale does (x * 1.0 == x, so weight 1 changes nothing).
    double userBias = e + reg.bias() * (personal.bias - (anchor == null ? 0 : anchor.bias));
    personal.bias -= steps.bias() * (userBias * weight);
    if (factors > 0) {
      double[] p = shared.itemFactors();
      double[] q = personal.factors;
      int base = item * factors;
      double lf = reg.factor();
      double rate = steps.factor();
      for (int f = 0; f < factors; f++) {
        double qf = q[f];
        double g = e * p[base + f] + lf * (qf - (anchor == null ? 0 : anchor.factors[f]));
        q[f] -= rate * (g * weight);
      }
    }
    if (featureDimension > 0 && personal.hasFeatureWeights()) {
      double[] wu = personal.featureWeights;
      double lpf = reg.personalFeature();
      double rate = steps.feature();
      for (int k = 0; k < x.size(); k++) {
        int j = x.index(k);
        double g = e * x.value(k) + lpf * wu[j];
        wu[j] -= rate * (g * weight);
      }
    }
    return prediction;
  }

  @Override
  public double globalStep(
      SharedParameters shared,
      PersonalParameters row,
      int item,
      FeatureVector x,
      double label,
      Regularization reg,
      StepSizes sharedSteps,
      StepSizes rowSteps,
      boolean stepRow,
      double weight) {
    requireExampleWeight(weight);
    double prediction = predict(shared, row, item, x);
    double e = loss.residual(prediction, label);
    // Every gradient from the values before the step, as gradient() computes them.
    double itemBias = e + reg.bias() * shared.itemBias(item);
    double userBias = e + reg.bias() * row.bias;
    shared.mean -= sharedSteps.mean() * (e * weight);
    shared.addItemBias(item, -sharedSteps.bias() * (itemBias * weight));
    if (stepRow) {
      row.bias -= rowSteps.bias() * (userBias * weight);
    }
    if (factors > 0) {
      double[] p = shared.itemFactors();
      double[] q = row.factors;
      int base = item * factors;
      double lf = reg.factor();
      double itemRate = sharedSteps.factor();
      double rowRate = stepRow ? rowSteps.factor() : 0;
      for (int f = 0; f < factors; f++) {
        double qf = q[f];
        double pf = p[base + f];
        double gp = e * qf + lf * pf;
        double gq = e * pf + lf * qf;
        p[base + f] = pf - itemRate * (gp * weight);
        if (stepRow) {
          q[f] = qf - rowRate * (gq * weight);
        }
      }
    }
    if (featureDimension > 0) {
      double[] w = shared.featureWeights();
      double rate = sharedSteps.feature();
      for (int k = 0; k < x.size(); k++) {
        int j = x.index(k);
        double g = e * x.value(k) + reg.feature() * w[j];
        w[j] -= rate * (g * weight);
      }
    }
    return prediction;
  }

  private static void requireExampleWeight(double weight) {
    if (!(weight >= 0 && weight < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("example weight must be finite and >= 0, was " + weight);
    }
  }
}
