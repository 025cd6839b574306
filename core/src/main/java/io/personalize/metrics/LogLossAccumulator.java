package io.personalize.metrics;

/**
 * Streaming mean log loss (binary cross-entropy, natural log) of predicted probabilities.
 *
 * <p>Contract: the probability is clipped to [{@value #EPSILON}, 1 - {@value #EPSILON}] so that a
 * single confident mistake costs at most about 34.5 instead of infinity. The clip is applied to the
 * probability of the observed outcome ({@code p} for a positive, {@code 1 - p} for a negative);
 * that is the same interval, but it keeps the bound exact for negatives, where computing {@code 1 -
 * (1 - 1e-15)} in doubles would not give back 1e-15. Probabilities outside [0, 1] or NaN are
 * rejected: they are bugs upstream, not predictions to clip. {@link #logLoss()} is {@code NaN} when
 * empty; {@link #merge} equals single-pass accumulation up to summation order. Not thread-safe.
 */
public final class LogLossAccumulator {

  /** Clipping bound, the usual choice (scikit-learn's historical default). */
  public static final double EPSILON = 1e-15;

  private long count;
  private double sumLoss;

  /** Adds one predicted probability of the positive class and the observed label. */
  public void add(double probability, boolean label) {
    if (!(probability >= 0.0 && probability <= 1.0)) {
      throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
    }
    double observed = label ? probability : 1.0 - probability;
    double clipped = Math.min(Math.max(observed, EPSILON), 1.0 - EPSILON);
    count++;
    sumLoss -= Math.log(clipped);
  }

  /** Folds {@code other} into this accumulator; {@code other} is left unchanged. */
  public LogLossAccumulator merge(LogLossAccumulator other) {
    count += other.count;
    sumLoss += other.sumLoss;
    return this;
  }

  /** Number of examples added so far. */
  public long count() {
    return count;
  }

  /** Mean log loss in nats, or {@code NaN} when empty. */
  public double logLoss() {
    return count == 0 ? Double.NaN : sumLoss / count;
  }

  @Override
  public String toString() {
    return "LogLossAccumulator{count=" + count + ", logLoss=" + logLoss() + "}";
  }
}
