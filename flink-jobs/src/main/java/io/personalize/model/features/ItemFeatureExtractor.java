package io.personalize.model.features;

import io.personalize.model.FeatureVector;

/**
 * Turns an item (a dense index) into its feature vector x_i. Static parts come from item metadata;
 * stream parts (popularity) change as events are observed, which is why {@link #observe} exists.
 */
public interface ItemFeatureExtractor {
  /** Size of the feature space: every index of every vector is below it. */
  int dimension();

  /** The item's features now. */
  FeatureVector features(int item);

  /** Tells the extractor an event on {@code item} was learned (after its prediction). */
  default void observe(int item) {}
}
