package io.personalize.model;

/**
 * How a personal block learns from the user's own events: step sizes of b_u, q_u and w_u (the mean
 * step is unused), and the regularization, whose {@code personalFeature} strength is the pull of
 * the user's feature weights toward the global ones.
 */
public record PersonalSettings(StepSizes steps, Regularization regularization)
    implements java.io.Serializable {
  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "bias=%g factor=%g feature=%g pull=%g",
        steps.bias(),
        steps.factor(),
        steps.feature(),
        regularization.personalFeature());
  }
}
