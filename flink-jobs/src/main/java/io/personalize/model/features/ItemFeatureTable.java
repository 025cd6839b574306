package io.personalize.model.features;

import io.personalize.model.FeatureVector;
import java.util.ArrayList;
import java.util.List;

/**
 * The item features of the engine: blocks from several extractors laid side by side (each block
 * shifted past the previous ones), with each item's concatenated vector cached and rebuilt only
 * when one of its parts changed, so the per-event path allocates nothing in the common case.
 *
 * <p>The concatenated vector is scaled to unit length. One-hot blocks (year, popularity) each add a
 * constant 1 to |x|^2, so without scaling every block would act as another copy of the user bias
 * and multiply the step size along it; with unit length the feature terms step the same whatever
 * the number of blocks or genres.
 */
public final class ItemFeatureTable implements ItemFeatureExtractor {
  private final List<ItemFeatureExtractor> parts;
  private final int[] offsets;
  private final int dimension;
  private final List<FeatureVector[]> cachedParts = new ArrayList<>();
  private final List<FeatureVector> cached = new ArrayList<>();

  public ItemFeatureTable(List<ItemFeatureExtractor> parts) {
    this.parts = List.copyOf(parts);
    this.offsets = new int[parts.size()];
    int offset = 0;
    for (int p = 0; p < parts.size(); p++) {
      offsets[p] = offset;
      offset += parts.get(p).dimension();
    }
    this.dimension = offset;
  }

  /** No features at all: the feature terms of a model are then zero. */
  public static ItemFeatureTable empty() {
    return new ItemFeatureTable(List.of());
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** Offset of part {@code p}'s block in the concatenated vector. */
  public int offset(int p) {
    return offsets[p];
  }

  @Override
  public FeatureVector features(int item) {
    while (cached.size() <= item) {
      cached.add(null);
      cachedParts.add(new FeatureVector[parts.size()]);
    }
    FeatureVector[] seen = cachedParts.get(item);
    boolean changed = cached.get(item) == null;
    for (int p = 0; p < parts.size(); p++) {
      FeatureVector now = parts.get(p).features(item);
      if (now != seen[p]) {
        seen[p] = now;
        changed = true;
      }
    }
    if (changed) {
      FeatureVector all = FeatureVector.EMPTY;
      for (int p = 0; p < parts.size(); p++) {
        all = FeatureVector.concat(all, seen[p].shifted(offsets[p]));
      }
      cached.set(item, all.normalized());
    }
    return cached.get(item);
  }

  @Override
  public void observe(int item) {
    for (ItemFeatureExtractor part : parts) {
      part.observe(item);
    }
  }
}
