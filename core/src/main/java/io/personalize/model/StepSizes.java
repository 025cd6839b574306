package io.personalize.model;

/**
 * SGD step sizes per parameter group. Biases converge from a single number per row and carry most
 * of the early signal of a new user or item, so they get their own (typically larger) step than the
 * factors; the global mean is the average of every event and needs a much smaller step, or it
 * drifts with each event's noise.
 */
public record StepSizes(double mean, double bias, double factor, double feature)
    implements java.io.Serializable {
  public StepSizes {
    if (!(mean >= 0
        && bias >= 0
        && factor >= 0
        && feature >= 0
        && mean < 1
        && bias < 1
        && factor < 1
        && feature < 1)) {
      throw new IllegalArgumentException("step sizes must be in [0, 1): " + this);
    }
  }

  /** Every step size multiplied by {@code factor}: the per-epoch decay of batch training. */
  public StepSizes times(double multiplier) {
    return new StepSizes(
        mean * multiplier, bias * multiplier, factor * multiplier, feature * multiplier);
  }

  /**
   * The bias and factor steps times these multipliers, capped below 1; the mean and feature steps
   * unchanged. How learned settings scale the configured steps (races, early events).
   */
  public StepSizes scaled(double biasMultiplier, double factorMultiplier) {
    return new StepSizes(
        mean,
        Math.min(0.99, bias * biasMultiplier),
        Math.min(0.99, factor * factorMultiplier),
        feature);
  }

  /** The same step for every parameter group. */
  public static StepSizes uniform(double step) {
    return new StepSizes(step, step, step, step);
  }
}
