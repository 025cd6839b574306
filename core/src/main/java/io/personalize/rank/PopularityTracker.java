package io.personalize.rank;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Item popularity as events arrive, and the {@code n} most popular items, kept exact at O(n) worst
 * case per event (O(1) for an item outside the top that stays outside): the fallback that fills any
 * recommendation list.
 *
 * <p>Two variants: {@link #counting} counts events; {@link #decaying} counts each event with weight
 * 2^(-age / halfLife), so popularity is recent popularity. Decay uses a landmark time L: an event
 * at t adds 2^((t - L) / halfLife) to the item's stored score, and the popularity at time now is
 * the score times 2^(-(now - L) / halfLife). All scores decay by the same factor, so the order of
 * items changes only when an item gains an event, in either variant, and events may arrive in any
 * order. When the newest event is {@value #RESCALE_HALF_LIVES} half-lives past L, every score is
 * halved an integer number of times (exact in floating point) and L moves forward by as many
 * half-lives, so scores never overflow; O(items) once per {@value #RESCALE_HALF_LIVES} half-lives.
 *
 * <p>Order: popularity descending, then item id ascending (ids, not indices, so the evaluator and
 * the job agree). Items are dense indices. Not thread-safe.
 */
public final class PopularityTracker {
  static final int RESCALE_HALF_LIVES = 64;

  private final int n;
  private final double halfLifeMillis;
  private final IntFunction<String> ids;
  private double[] scores = new double[16];
  private int[] rank = filled(16);
  private final int[] top;
  private int topSize;
  private double landmarkMillis = Double.NaN;

  private PopularityTracker(int n, double halfLifeMillis, IntFunction<String> ids) {
    if (n < 1) {
      throw new IllegalArgumentException("the top must hold >= 1 item, was " + n);
    }
    this.n = n;
    this.halfLifeMillis = halfLifeMillis;
    this.ids = ids;
    this.top = new int[n];
  }

  /** Popularity is the number of events. */
  public static PopularityTracker counting(int n, IntFunction<String> ids) {
    return new PopularityTracker(n, Double.POSITIVE_INFINITY, ids);
  }

  /** Popularity is the number of events, each weighted 2^(-age / halfLife). */
  public static PopularityTracker decaying(int n, long halfLifeMillis, IntFunction<String> ids) {
    if (halfLifeMillis <= 0) {
      throw new IllegalArgumentException("half-life must be > 0 ms, was " + halfLifeMillis);
    }
    return new PopularityTracker(n, halfLifeMillis, ids);
  }

  /** One event on {@code item} at {@code timeMillis} (ignored when counting). */
  public void add(int item, long timeMillis) {
    add(item, 1, timeMillis);
  }

  /** {@code events} events on {@code item}, all at {@code timeMillis}. */
  public void add(int item, long events, long timeMillis) {
    if (events <= 0) {
      return;
    }
    grow(item);
    double increment = increment(timeMillis); // first: it may rescale every score, this one too
    scores[item] += events * increment;
    int position = rank[item];
    if (position < 0) {
      if (topSize < n) {
        position = topSize++;
      } else if (before(item, top[n - 1])) {
        position = n - 1;
        rank[top[position]] = -1;
      } else {
        return;
      }
      top[position] = item;
      rank[item] = position;
    }
    // The item only gained: it can only move up.
    while (position > 0 && before(item, top[position - 1])) {
      top[position] = top[position - 1];
      rank[top[position]] = position;
      position--;
    }
    top[position] = item;
    rank[item] = position;
  }

  /** The item's popularity at {@code nowMillis}: its event count, decayed to now if decaying. */
  public double popularity(int item, long nowMillis) {
    double score = item < scores.length ? scores[item] : 0;
    if (halfLifeMillis == Double.POSITIVE_INFINITY || score == 0) {
      return score;
    }
    return score * Math.pow(2, -(nowMillis - landmarkMillis) / halfLifeMillis);
  }

  /** How many items the top holds: n once n items have had events. */
  public int topSize() {
    return topSize;
  }

  /** The item at 0-based {@code position} of the top, most popular first. */
  public int top(int position) {
    if (position < 0 || position >= topSize) {
      throw new IndexOutOfBoundsException("position " + position + " of a top of " + topSize);
    }
    return top[position];
  }

  /** The scores of every item with events, by id, for Flink state. */
  public PopularitySnapshot snapshot() {
    List<String> ids = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int item = 0; item < scores.length; item++) {
      if (scores[item] > 0) {
        ids.add(this.ids.apply(item));
        values.add(scores[item]);
      }
    }
    PopularitySnapshot s = new PopularitySnapshot();
    s.itemIds = ids.toArray(new String[0]);
    s.scores = values.stream().mapToDouble(Double::doubleValue).toArray();
    s.landmarkMillis = landmarkMillis;
    return s;
  }

  /**
   * Restores a snapshot into this fresh tracker (same n and half-life), the items by their index in
   * the caller's catalog.
   */
  public void restore(PopularitySnapshot s, ToIntFunction<String> index) {
    landmarkMillis = s.landmarkMillis;
    List<Integer> restored = new ArrayList<>();
    for (int k = 0; k < s.itemIds.length; k++) {
      int item = index.applyAsInt(s.itemIds[k]);
      grow(item);
      scores[item] = s.scores[k];
      restored.add(item);
    }
    restored.sort((a, b) -> before(a, b) ? -1 : before(b, a) ? 1 : 0);
    topSize = Math.min(n, restored.size());
    for (int position = 0; position < topSize; position++) {
      top[position] = restored.get(position);
      rank[top[position]] = position;
    }
  }

  private double increment(long timeMillis) {
    if (halfLifeMillis == Double.POSITIVE_INFINITY) {
      return 1;
    }
    if (Double.isNaN(landmarkMillis)) {
      landmarkMillis = timeMillis;
    }
    double halfLives = (timeMillis - landmarkMillis) / halfLifeMillis;
    if (halfLives >= RESCALE_HALF_LIVES) {
      int shift = (int) Math.floor(halfLives);
      for (int i = 0; i < scores.length; i++) {
        scores[i] = Math.scalb(scores[i], -shift);
      }
      landmarkMillis += shift * halfLifeMillis;
      halfLives -= shift;
    }
    return Math.pow(2, halfLives);
  }

  private boolean before(int a, int b) {
    if (scores[a] != scores[b]) {
      return scores[a] > scores[b];
    }
    return ids.apply(a).compareTo(ids.apply(b)) < 0;
  }

  private void grow(int item) {
    if (item >= scores.length) {
      int capacity = Math.max(item + 1, scores.length * 2);
      scores = Arrays.copyOf(scores, capacity);
      int old = rank.length;
      rank = Arrays.copyOf(rank, capacity);
      Arrays.fill(rank, old, capacity, -1);
    }
  }

  private static int[] filled(int length) {
    int[] array = new int[length];
    Arrays.fill(array, -1);
    return array;
  }
}
