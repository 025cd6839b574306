package io.personalize.model;

/**
 * The range of valid ratings. A prediction outside it is certainly wrong by at least the overshoot,
 * so reported predictions are clamped to it; learning still uses the raw prediction so the gradient
 * keeps pointing the right way.
 */
public record RatingScale(double min, double max) implements java.io.Serializable {
  public RatingScale {
    if (!(Double.isFinite(min) && Double.isFinite(max) && min <= max)) {
      throw new IllegalArgumentException(
          "need a finite rating scale min <= max, was " + min + ".." + max);
    }
  }

  /** Any value passes unchanged: for probabilities, which the link already bounds. */
  public static final RatingScale UNBOUNDED = new RatingScale(-Double.MAX_VALUE, Double.MAX_VALUE);

  public double clamp(double prediction) {
    return Math.min(max, Math.max(min, prediction));
  }

  /** Whether {@code value} is a valid rating: finite and within [min, max]. */
  public boolean contains(double value) {
    return value >= min && value <= max;
  }

  public double midpoint() {
    return min / 2 + max / 2;
  }
}
