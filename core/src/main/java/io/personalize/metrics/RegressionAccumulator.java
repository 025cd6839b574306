package io.personalize.metrics;

/**
 * Streaming RMSE and MAE over (predicted, actual) pairs.
 *
 * <p>Contract: O(1) memory, so it can live in keyed state or a window; {@link #merge} gives the
 * same result (up to floating-point summation order) as feeding both inputs into one accumulator,
 * so partial results from parallel tasks can be combined. Both metrics are {@code NaN} while
 * nothing has been added: an empty evaluation has no error, and 0 would read as a perfect model.
 * Non-finite inputs are rejected, because one NaN would silently poison every later result. Not
 * thread-safe.
 */
public final class RegressionAccumulator {

  private long count;
  private double sumSquaredError;
  private double sumAbsoluteError;

  /** Adds one prediction and its observed value. */
  public void add(double predicted, double actual) {
    if (!Double.isFinite(predicted) || !Double.isFinite(actual)) {
      throw new IllegalArgumentException(
          "predicted and actual must be finite, got " + predicted + " and " + actual);
    }
    double error = predicted - actual;
    count++;
    sumSquaredError += error * error;
    sumAbsoluteError += Math.abs(error);
  }

  /** Folds {@code other} into this accumulator; {@code other} is left unchanged. */
  public RegressionAccumulator merge(RegressionAccumulator other) {
    count += other.count;
    sumSquaredError += other.sumSquaredError;
    sumAbsoluteError += other.sumAbsoluteError;
    return this;
  }

  /** Number of pairs added so far. */
  public long count() {
    return count;
  }

  /** Root mean squared error, or {@code NaN} when empty. */
  public double rmse() {
    return count == 0 ? Double.NaN : Math.sqrt(sumSquaredError / count);
  }

  /** Mean absolute error, or {@code NaN} when empty. */
  public double mae() {
    return count == 0 ? Double.NaN : sumAbsoluteError / count;
  }

  @Override
  public String toString() {
    return "RegressionAccumulator{count=" + count + ", rmse=" + rmse() + ", mae=" + mae() + "}";
  }
}
