package io.personalize.model;

/**
 * Which terms of the additive predictor {@code mu + b_u + b_i + q_u.p_i + (w + w_u).x_i} a model
 * uses.
 *
 * <p>{@link #globalHasUserRows} says whether the model's global form carries a row per user (b_u,
 * q_u), as biased MF does by construction. Logistic regression over item features has no user term
 * in its global form: personalizing it means adding b_u and w_u.
 */
public enum ModelKind {
  /** Biased matrix factorization: mu + b_u + b_i + q_u.p_i. */
  MF(true, false, true, Loss.SQUARED),
  /** Logistic regression over item features: mu + w.x_i, personal b_u + w_u.x_i. */
  LOGISTIC(false, true, false, Loss.LOGISTIC),
  /** Biased MF plus global and personal weights over item features (GLMix-style). */
  HYBRID(true, true, true, Loss.SQUARED);

  private final boolean factors;
  private final boolean features;
  private final boolean globalHasUserRows;
  private final Loss defaultLoss;

  ModelKind(boolean factors, boolean features, boolean globalHasUserRows, Loss defaultLoss) {
    this.factors = factors;
    this.features = features;
    this.globalHasUserRows = globalHasUserRows;
    this.defaultLoss = defaultLoss;
  }

  public boolean usesFactors() {
    return factors;
  }

  public boolean usesFeatures() {
    return features;
  }

  public boolean globalHasUserRows() {
    return globalHasUserRows;
  }

  public Loss defaultLoss() {
    return defaultLoss;
  }

  /** Parses "mf", "logistic", "hybrid" (any case). */
  public static ModelKind parse(String name) {
    for (ModelKind kind : values()) {
      if (kind.name().equalsIgnoreCase(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown model '" + name + "': expected mf, logistic or hybrid");
  }
}
