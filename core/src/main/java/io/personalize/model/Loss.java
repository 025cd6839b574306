package io.personalize.model;

/**
 * The per-event loss and its link from the linear predictor z to a prediction.
 *
 * <p>Both losses have the same derivative with respect to z, prediction minus label, which is why
 * one gradient routine serves ratings and clicks.
 */
public enum Loss {
  /** Ratings: prediction = z, loss = (z - y)^2 / 2. */
  SQUARED {
    @Override
    public double link(double z) {
      return z;
    }

    @Override
    public double loss(double prediction, double label) {
      double e = prediction - label;
      return 0.5 * e * e;
    }
  },
  /** Clicks or likes (label 0 or 1): prediction = sigmoid(z), loss = log loss. */
  LOGISTIC {
    @Override
    public double link(double z) {
      return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    @Override
    public double loss(double prediction, double label) {
      double p = Math.min(Math.max(prediction, 1e-15), 1 - 1e-15);
      return -(label * Math.log(p) + (1 - label) * Math.log(1 - p));
    }
  };

  public abstract double link(double z);

  public abstract double loss(double prediction, double label);

  /** d loss / d z, for both losses. */
  public double residual(double prediction, double label) {
    return prediction - label;
  }
}
