package io.personalize.online;

import io.personalize.model.PersonalParameters;
import java.util.Arrays;

/**
 * A personal block as {@link UserState} stores it, in floats: [b_u, q_u (k values)] and then the
 * feature deviations w_u in whichever of two forms is shorter:
 *
 * <ul>
 *   <li><b>dense</b>: w_u up to its last nonzero value (none at all for a user without feature
 *       signal: a stream without item metadata, or before the first item with features);
 *   <li><b>sparse</b>: a NaN, then (index, value) for each nonzero value, the index as a float
 *       (exact below 2^24). A user's deviations are nonzero only for the features of the items the
 *       user touched (a few genres, years and popularity buckets for most users), and the
 *       popularity buckets sit at the end of the feature index, where the dense form keeps every
 *       zero before them.
 * </ul>
 *
 * <p>A NaN cannot start dense deviations (a model with a NaN weight is broken), so the first value
 * after q_u tells the forms apart, and blocks stored dense before the sparse form existed (stored
 * savepoint v2) load as they are. Both forms hold the same floats: a block loads back the same
 * whichever form stored it.
 */
final class StoredBlocks {
  private static final float SPARSE = Float.NaN;

  private StoredBlocks() {}

  /**
   * {@code from} rounded to floats, in {@code previous} when it has the length needed, else in a
   * new array: the one rounding of a stored block per step.
   */
  static float[] store(PersonalParameters from, float[] previous) {
    int k = from.factors.length;
    double[] w = from.featureWeights;
    int dense = w.length;
    while (dense > 0 && w[dense - 1] == 0) {
      dense--;
    }
    int nonzero = 0;
    for (int i = 0; i < dense; i++) {
      nonzero += held(w[i]) ? 1 : 0;
    }
    boolean sparse = 1 + 2 * nonzero < dense;
    int length = 1 + k + (sparse ? 1 + 2 * nonzero : dense);
    float[] flat = previous != null && previous.length == length ? previous : new float[length];
    flat[0] = (float) from.bias;
    for (int i = 0; i < k; i++) {
      flat[1 + i] = (float) from.factors[i];
    }
    if (sparse) {
      int at = 1 + k;
      flat[at++] = SPARSE;
      for (int i = 0; i < dense; i++) {
        if (held(w[i])) {
          flat[at++] = i;
          flat[at++] = (float) w[i];
        }
      }
    } else {
      for (int i = 0; i < dense; i++) {
        flat[1 + k + i] = (float) w[i];
      }
    }
    return flat;
  }

  /**
   * Whether the sparse form keeps a value: anything but +0.0, so that a -0.0 the dense form would
   * keep loads back as -0.0 too.
   */
  private static boolean held(double value) {
    return Double.doubleToRawLongBits(value) != 0L;
  }

  /** Reads a stored block into {@code into}; feature weights it does not hold are zero. */
  static void load(float[] flat, PersonalParameters into) {
    into.bias = flat[0];
    int k = into.factors.length;
    for (int i = 0; i < k; i++) {
      into.factors[i] = flat[1 + i];
    }
    double[] w = into.featureWeights;
    if (flat.length > 1 + k && Float.isNaN(flat[1 + k])) {
      Arrays.fill(w, 0);
      for (int at = 2 + k; at + 1 < flat.length; at += 2) {
        int index = (int) flat[at];
        if (index < w.length) {
          w[index] = flat[at + 1];
        }
      }
      return;
    }
    int f = Math.min(w.length, flat.length - 1 - k);
    for (int i = 0; i < f; i++) {
      w[i] = flat[1 + k + i];
    }
    Arrays.fill(w, f, w.length, 0);
  }
}
