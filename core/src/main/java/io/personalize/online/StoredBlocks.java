package io.personalize.online;

import io.personalize.model.PersonalParameters;

/**
 * A personal block as {@link UserState} stores it: [b_u, q_u (k values), w_u up to its last nonzero
 * value], in floats. A user without feature signal (a stream without item metadata, or before the
 * first item with features) stores no feature deviations at all.
 */
final class StoredBlocks {
  private StoredBlocks() {}

  /**
   * {@code from} rounded to floats, in {@code previous} when it has the length needed, else in a
   * new array: the one rounding of a stored block per step.
   */
  static float[] store(PersonalParameters from, float[] previous) {
    int k = from.factors.length;
    int f = from.featureWeights.length;
    while (f > 0 && from.featureWeights[f - 1] == 0) {
      f--;
    }
    float[] flat =
        previous != null && previous.length == 1 + k + f ? previous : new float[1 + k + f];
    flat[0] = (float) from.bias;
    for (int i = 0; i < k; i++) {
      flat[1 + i] = (float) from.factors[i];
    }
    for (int i = 0; i < f; i++) {
      flat[1 + k + i] = (float) from.featureWeights[i];
    }
    return flat;
  }

  /** Reads a stored block into {@code into}; feature weights it does not hold are zero. */
  static void load(float[] flat, PersonalParameters into) {
    into.bias = flat[0];
    int k = into.factors.length;
    for (int i = 0; i < k; i++) {
      into.factors[i] = flat[1 + i];
    }
    int f = Math.min(into.featureWeights.length, flat.length - 1 - k);
    for (int i = 0; i < f; i++) {
      into.featureWeights[i] = flat[1 + k + i];
    }
    java.util.Arrays.fill(into.featureWeights, f, into.featureWeights.length, 0);
  }
}
