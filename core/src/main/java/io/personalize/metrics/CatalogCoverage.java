package io.personalize.metrics;

import java.util.BitSet;

/**
 * Catalog coverage of recommendation lists: the distinct items that appear in any list, divided by
 * the number of items in the catalog. A recommender that shows everyone the same popular items
 * covers K items whatever the catalog.
 *
 * <p>Contract: items are dense indices >= 0; callers pass each list cut at K. {@link #coverage} is
 * NaN for an empty catalog. {@link #merge} equals adding both inputs to one accumulator. Not
 * thread-safe.
 */
public final class CatalogCoverage {
  private final BitSet seen = new BitSet();

  /** Adds the first {@code length} items of {@code list}. */
  public void add(int[] list, int length) {
    for (int r = 0; r < length; r++) {
      seen.set(list[r]);
    }
  }

  public CatalogCoverage merge(CatalogCoverage other) {
    seen.or(other.seen);
    return this;
  }

  /** Distinct items recommended so far. */
  public int distinctItems() {
    return seen.cardinality();
  }

  /** Distinct items recommended / {@code catalogSize}; NaN when the catalog is empty. */
  public double coverage(int catalogSize) {
    return catalogSize <= 0 ? Double.NaN : (double) distinctItems() / catalogSize;
  }
}
