package io.personalize.rank;

import java.util.Arrays;

/**
 * Non-negative weights of items 0..n-1 in a Fenwick (binary indexed) tree: changing a weight and
 * drawing an item with probability proportional to its weight both take O(log n), which is what
 * sampling by popularity needs while counts grow with every event (an alias table draws in O(1) but
 * must be rebuilt in O(n) to see a changed count).
 *
 * <p>Each change adds the difference of the weight to O(log n) partial sums, so rounding could
 * accumulate over many changes; the tree is rebuilt from the exact weights after as many changes as
 * it has slots (amortized O(1) per change), which bounds that.
 */
final class WeightTree {
  private double[] weights = new double[16];

  /**
   * 1-based partial sums; the length minus one is a power of two, so tree[capacity] is the total.
   */
  private double[] tree = new double[17];

  private int size;
  private int changesSinceRebuild;

  /** Items 0..size()-1 are addressable (an item never given a weight weighs 0). */
  int size() {
    return size;
  }

  /** The item's weight; 0 for an item past the addressable ones. */
  double weight(int item) {
    return item < size ? weights[item] : 0;
  }

  /** Sets the weight of {@code item}, making items up to it addressable. */
  void set(int item, double weight) {
    if (!(weight >= 0 && weight < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("weight must be finite and >= 0, was " + weight);
    }
    if (item >= weights.length) {
      weights = Arrays.copyOf(weights, Math.max(Integer.highestOneBit(item) << 1, 16));
      weights[item] = weight;
      size = item + 1;
      rebuild();
      return;
    }
    size = Math.max(size, item + 1);
    double delta = weight - weights[item];
    weights[item] = weight;
    if (++changesSinceRebuild >= weights.length) {
      rebuild();
      return;
    }
    for (int i = item + 1; i < tree.length; i += i & -i) {
      tree[i] += delta;
    }
  }

  /** The sum of all weights. */
  double total() {
    return tree[tree.length - 1];
  }

  /**
   * The item whose interval [prefix(i), prefix(i) + weight(i)) contains {@code u}, for {@code u} in
   * [0, total()): drawn with u uniform, item i comes with probability weight(i) / total(). Returns
   * -1 in the rounding cases where the descent ends past the last item or on an item of weight 0
   * (callers draw again).
   */
  int find(double u) {
    int position = 0;
    double rest = u;
    for (int step = tree.length - 1; step > 0; step >>= 1) {
      int next = position + step;
      if (next < tree.length && tree[next] <= rest) {
        position = next;
        rest -= tree[next];
      }
    }
    return position < size && weights[position] > 0 ? position : -1;
  }

  private void rebuild() {
    tree = new double[weights.length + 1];
    System.arraycopy(weights, 0, tree, 1, weights.length);
    for (int i = 1; i < tree.length; i++) {
      int parent = i + (i & -i);
      if (parent < tree.length) {
        tree[parent] += tree[i];
      }
    }
    changesSinceRebuild = 0;
  }
}
