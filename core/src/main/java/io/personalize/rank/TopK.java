package io.personalize.rank;

import java.util.function.IntFunction;

/**
 * The k best of a stream of scored items, in a bounded heap: O(log k) per offered item, no
 * allocation after construction. Reused: {@link #drain} returns the items best first and empties
 * it.
 *
 * <p>Order: score descending, then popularity descending, then item id ascending. Ties are broken
 * by the id (the string), not by the dense index, because indices follow arrival order and differ
 * between the evaluator and the job's operators; the id is looked up only on an exact tie of score
 * and popularity. Each item should be offered once per selection.
 */
public final class TopK {
  private final IntFunction<String> ids;
  private final int[] items;
  private final double[] scores;
  private final double[] popularity;
  private int size;

  /**
   * @param k how many items to keep, >= 1
   * @param ids the id of an item index, for ties
   */
  public TopK(int k, IntFunction<String> ids) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    this.ids = ids;
    this.items = new int[k];
    this.scores = new double[k];
    this.popularity = new double[k];
  }

  public int k() {
    return items.length;
  }

  /** Items kept so far. */
  public int size() {
    return size;
  }

  /** Keeps the item if it is among the k best offered since the last drain. */
  public void offer(int item, double score, double itemPopularity) {
    if (Double.isNaN(score) || Double.isNaN(itemPopularity)) {
      throw new IllegalArgumentException(
          "item " + item + " has a NaN score or popularity: " + score + ", " + itemPopularity);
    }
    if (size < items.length) {
      set(size, item, score, itemPopularity);
      siftUp(size++);
    } else if (before(item, score, itemPopularity, 0)) {
      set(0, item, score, itemPopularity);
      siftDown(0);
    }
  }

  /**
   * Writes the kept items best first into {@code itemsOut} and, unless null, their scores into
   * {@code scoresOut}; returns their number and empties this selection.
   */
  public int drain(int[] itemsOut, double[] scoresOut) {
    int count = size;
    // Heap sort: the root is the worst kept item, so removing roots fills the result from the end.
    while (size > 0) {
      int last = size - 1;
      itemsOut[last] = items[0];
      if (scoresOut != null) {
        scoresOut[last] = scores[0];
      }
      set(0, items[last], scores[last], popularity[last]);
      size = last;
      siftDown(0);
    }
    return count;
  }

  /** Whether the item ranks before the kept item at heap position {@code slot}. */
  private boolean before(int item, double score, double itemPopularity, int slot) {
    if (score != scores[slot]) {
      return score > scores[slot];
    }
    if (itemPopularity != popularity[slot]) {
      return itemPopularity > popularity[slot];
    }
    return item != items[slot] && ids.apply(item).compareTo(ids.apply(items[slot])) < 0;
  }

  /** The heap keeps the worst item at the root: a parent ranks after both children. */
  private boolean ranksAfter(int slot, int other) {
    return before(items[other], scores[other], popularity[other], slot);
  }

  private void siftUp(int slot) {
    while (slot > 0) {
      int parent = (slot - 1) / 2;
      if (!ranksAfter(slot, parent)) {
        return;
      }
      swap(slot, parent);
      slot = parent;
    }
  }

  private void siftDown(int slot) {
    while (true) {
      int worst = slot;
      for (int child = 2 * slot + 1; child <= 2 * slot + 2 && child < size; child++) {
        if (ranksAfter(child, worst)) {
          worst = child;
        }
      }
      if (worst == slot) {
        return;
      }
      swap(slot, worst);
      slot = worst;
    }
  }

  private void set(int slot, int item, double score, double itemPopularity) {
    items[slot] = item;
    scores[slot] = score;
    popularity[slot] = itemPopularity;
  }

  private void swap(int a, int b) {
    int item = items[a];
    double score = scores[a];
    double pop = popularity[a];
    set(a, items[b], scores[b], popularity[b]);
    set(b, item, score, pop);
  }
}
