package io.personalize.rank;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Draws negatives, items a user has not interacted with, for the "will interact" ranking model, as
 * a {@link NegativeSampling} says: by popularity (count^exponent, counts growing as events arrive)
 * or uniformly over the known items, or a mix. Items are dense indices, known from {@link
 * #ensureItem} or {@link #add}.
 *
 * <p>Exclusion: a draw never returns an item the caller excludes (the user's items, the positive).
 * Excluded draws are redrawn, which keeps each kind's distribution restricted to the allowed items;
 * after {@value #ATTEMPTS} excluded draws in a row (a user who touched most of the popularity mass)
 * the draw is made exactly over the allowed items in O(n). When every allowed item weighs 0 (only
 * items without events remain for popularity sampling) it is uniform among them; when no item is
 * allowed it returns {@link #NONE}, and the caller learns fewer negatives. Popularity draws before
 * any count is known are uniform.
 *
 * <p>Structure: counts live in a Fenwick tree of weights ({@link WeightTree}), O(log n) per count
 * change and per draw, exact after every event; the package documentation has its measured cost
 * against an alias table (O(1) draws, O(n) rebuilds to see new counts).
 *
 * <p>Seeded and reproducible: the same seed, counts and calls give the same draws. Not thread-safe.
 */
public final class NegativeSampler {
  /** No item could be drawn. */
  public static final int NONE = -1;

  /** Excluded draws in a row before the exact draw over the allowed items. */
  static final int ATTEMPTS = 32;

  private final double popularityShare;
  private final double exponent;
  private final SplittableRandom random;
  private final WeightTree weights = new WeightTree();
  private long[] counts = new long[16];
  private int items;

  public NegativeSampler(NegativeSampling sampling, long seed) {
    this.popularityShare = sampling.popularityShare();
    this.exponent = sampling.exponent();
    this.random = new SplittableRandom(seed);
  }

  /** Items 0..items()-1 are known. */
  public int items() {
    return items;
  }

  /** Makes items 0..item known (count 0 for new ones): uniform sampling may draw them. */
  public void ensureItem(int item) {
    if (item < 0) {
      throw new IllegalArgumentException("item index must be >= 0, was " + item);
    }
    if (item >= counts.length) {
      counts = Arrays.copyOf(counts, Math.max(item + 1, counts.length * 2));
    }
    items = Math.max(items, item + 1);
  }

  /** Adds {@code delta} events to the item's count (one per event, or a replica's delta). */
  public void add(int item, long delta) {
    if (delta < 0) {
      throw new IllegalArgumentException("counts only grow: delta " + delta);
    }
    ensureItem(item);
    counts[item] += delta;
    if (popularityShare > 0) {
      weights.set(item, weight(counts[item]));
    }
  }

  public long count(int item) {
    return item < items ? counts[item] : 0;
  }

  /** One negative not excluded, or {@link #NONE} when every known item is excluded. */
  public int sample(IntPredicate excluded) {
    if (items == 0) {
      return NONE;
    }
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int item = draw();
      if (item != NONE && !excluded.test(item)) {
        return item;
      }
    }
    return drawExactly(excluded);
  }

  /**
   * Up to {@code n} distinct negatives into {@code out}, none excluded; returns how many (fewer
   * than {@code n} only when fewer items are allowed).
   */
  public int sample(int[] out, int n, IntPredicate excluded) {
    int drawn = 0;
    while (drawn < n) {
      int taken = drawn;
      int item = sample(i -> excluded.test(i) || contains(out, taken, i));
      if (item == NONE) {
        break;
      }
      out[drawn++] = item;
    }
    return drawn;
  }

  private static boolean contains(int[] items, int length, int item) {
    for (int k = 0; k < length; k++) {
      if (items[k] == item) {
        return true;
      }
    }
    return false;
  }

  /** A draw from the whole distribution; NONE in the tree's rounding cases. */
  private int draw() {
    boolean byPopularity =
        popularityShare == 1 || (popularityShare > 0 && random.nextDouble() < popularityShare);
    double total = weights.total();
    if (byPopularity && total > 0) {
      return weights.find(random.nextDouble() * total);
    }
    return random.nextInt(items);
  }

  /** The same distribution restricted to the allowed items, by one pass to sum, one to pick. */
  private int drawExactly(IntPredicate excluded) {
    double sum = 0;
    int allowed = 0;
    for (int item = 0; item < items; item++) {
      if (!excluded.test(item)) {
        sum += mass(item);
        allowed++;
      }
    }
    if (allowed == 0) {
      return NONE;
    }
    if (sum == 0) {
      int pick = random.nextInt(allowed);
      for (int item = 0; item < items; item++) {
        if (!excluded.test(item) && pick-- == 0) {
          return item;
        }
      }
    }
    double u = random.nextDouble() * sum;
    int last = NONE;
    for (int item = 0; item < items; item++) {
      if (!excluded.test(item) && mass(item) > 0) {
        last = item;
        u -= mass(item);
        if (u < 0) {
          return item;
        }
      }
    }
    return last; // u rounded past the end: the last allowed item with mass
  }

  /** The probability of the item under the unrestricted distribution, up to a common factor. */
  private double mass(int item) {
    double total = popularityShare > 0 ? weights.total() : 0;
    double popular = total > 0 ? weights.weight(item) / total : 1.0 / items;
    return popularityShare * popular + (1 - popularityShare) / items;
  }

  private double weight(long count) {
    return count == 0 ? 0 : Math.pow(count, exponent);
  }
}
