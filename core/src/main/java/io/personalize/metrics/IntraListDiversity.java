package io.personalize.metrics;

import io.personalize.rank.ItemSimilarity;

/**
 * Intra-list diversity: over lists, the mean of 1 - (mean similarity of the list's pairs of items).
 * With the Jaccard of genre sets ({@link ItemSimilarity#genres}) a list of items that share no
 * genre scores 1 and a list of items of identical genres 0.
 *
 * <p>Contract: a pair whose similarity is NaN (an item without genres) is left out of its list's
 * mean; a list with no defined pair (fewer than 2 items, or no item with genres) is skipped and
 * counted in {@link #skipped()}, so for data without genres {@link #mean()} is NaN (reported as
 * null), not a number measured on something else. {@link #merge} equals single-pass accumulation up
 * to summation order. Not thread-safe.
 */
public final class IntraListDiversity {
  private long lists;
  private long skipped;
  private double sum;

  /**
   * Adds the first {@code length} items of {@code list}.
   *
   * @return whether the list was counted
   */
  public boolean add(int[] list, int length, ItemSimilarity similarity) {
    double pairSum = 0;
    int pairs = 0;
    for (int a = 0; a < length; a++) {
      for (int b = a + 1; b < length; b++) {
        double s = similarity.between(list[a], list[b]);
        if (!Double.isNaN(s)) {
          pairSum += s;
          pairs++;
        }
      }
    }
    if (pairs == 0) {
      skipped++;
      return false;
    }
    lists++;
    sum += 1 - pairSum / pairs;
    return true;
  }

  public IntraListDiversity merge(IntraListDiversity other) {
    lists += other.lists;
    skipped += other.skipped;
    sum += other.sum;
    return this;
  }

  /** Lists that entered the mean. */
  public long lists() {
    return lists;
  }

  /** Lists left out because no pair of their items has a defined similarity. */
  public long skipped() {
    return skipped;
  }

  /** Mean intra-list diversity; NaN when no list was counted. */
  public double mean() {
    return lists == 0 ? Double.NaN : sum / lists;
  }

  @Override
  public String toString() {
    return "IntraListDiversity{lists=" + lists + ", skipped=" + skipped + ", mean=" + mean() + "}";
  }
}
