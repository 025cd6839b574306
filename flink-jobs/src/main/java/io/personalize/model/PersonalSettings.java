package io.personalize.model;

/**
 * How a personal block learns from the user's own events: the step size of b_u and q_u, the step
 * size of w_u, and the regularization, whose {@code personalFeature} strength is the pull of the
 * user's feature weights toward the global ones.
 */
public record PersonalSettings(double rate, double featureRate, Regularization regularization) {
  public PersonalSettings {
    if (!(rate >= 0 && featureRate >= 0)) {
      throw new IllegalArgumentException("personal step sizes must be >= 0: " + rate + ", " + featureRate);
    }
  }

  @Override
  public String toString() {
    return String.format(
        "rate=%g featureRate=%g pull=%g", rate, featureRate, regularization.personalFeature());
  }
}
