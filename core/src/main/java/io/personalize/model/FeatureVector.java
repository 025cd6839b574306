package io.personalize.model;

import java.util.Arrays;

/**
 * A sparse, immutable feature vector of an item: parallel arrays of distinct indices and values.
 *
 * <p>Item features are few per item (a handful of genres, a decade, a popularity bucket), so the
 * per-event cost of the feature terms is proportional to the non-zeros, not to the dimension.
 */
public final class FeatureVector {
  public static final FeatureVector EMPTY = new FeatureVector(new int[0], new double[0]);

  private final int[] indices;
  private final double[] values;

  private FeatureVector(int[] indices, double[] values) {
    this.indices = indices;
    this.values = values;
  }

  /** Takes copies; indices must be distinct and non-negative. */
  public static FeatureVector of(int[] indices, double[] values) {
    if (indices.length != values.length) {
      throw new IllegalArgumentException(
          "indices and values differ in length: " + indices.length + " vs " + values.length);
    }
    int[] sorted = indices.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] < 0 || (i > 0 && sorted[i] == sorted[i - 1])) {
        throw new IllegalArgumentException(
            "feature indices must be distinct and >= 0: " + Arrays.toString(indices));
      }
    }
    return new FeatureVector(indices.clone(), values.clone());
  }

  public int size() {
    return indices.length;
  }

  public int index(int k) {
    return indices[k];
  }

  public double value(int k) {
    return values[k];
  }

  /** The largest index plus one; 0 when empty. */
  public int minDimension() {
    int max = -1;
    for (int index : indices) {
      max = Math.max(max, index);
    }
    return max + 1;
  }

  /** Dot product with a dense weight vector that covers every index. */
  public double dot(double[] weights) {
    double sum = 0;
    for (int k = 0; k < indices.length; k++) {
      sum += weights[indices[k]] * values[k];
    }
    return sum;
  }

  /** This vector shifted by {@code offset}, for concatenating blocks of features. */
  public FeatureVector shifted(int offset) {
    int[] moved = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      moved[k] = indices[k] + offset;
    }
    return new FeatureVector(moved, values);
  }

  /** This vector scaled to unit L2 norm; the empty vector stays empty. */
  public FeatureVector normalized() {
    double norm = 0;
    for (double v : values) {
      norm += v * v;
    }
    if (norm == 0 || Math.abs(norm - 1) < 1e-12) {
      return this;
    }
    double scale = 1 / Math.sqrt(norm);
    double[] scaled = new double[values.length];
    for (int k = 0; k < values.length; k++) {
      scaled[k] = values[k] * scale;
    }
    return new FeatureVector(indices, scaled);
  }

  /** Concatenation of vectors whose index ranges do not overlap. */
  public static FeatureVector concat(FeatureVector a, FeatureVector b) {
    if (a.size() == 0) {
      return b;
    }
    if (b.size() == 0) {
      return a;
    }
    int[] idx = Arrays.copyOf(a.indices, a.size() + b.size());
    double[] val = Arrays.copyOf(a.values, a.size() + b.size());
    System.arraycopy(b.indices, 0, idx, a.size(), b.size());
    System.arraycopy(b.values, 0, val, a.size(), b.size());
    return new FeatureVector(idx, val);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureVector other
        && Arrays.equals(indices, other.indices)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(indices) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int k = 0; k < indices.length; k++) {
      sb.append(k == 0 ? "" : ", ").append(indices[k]).append(':').append(values[k]);
    }
    return sb.append('}').toString();
  }
}
