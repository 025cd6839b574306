package io.personalize.metrics;

/**
 * Top-N metrics of recommendation lists that each have one relevant item (the held-out or next
 * item), overall and per user group: HR@K, nDCG@K and MRR@K.
 *
 * <p>Contract: each list is given by the 1-based rank of its relevant item, 0 when the item is not
 * in the list; a rank past K is a miss. With one relevant item nDCG@K is {@code 1 / log2(rank + 1)}
 * (the ideal DCG is 1) and MRR@K is {@code 1 / rank}, both 0 for a miss. Group 0 is every list;
 * groups 1..C are the user groups, as in the prequential scoreboard (1 = least data). Every mean is
 * NaN for a group without lists. {@link #merge} requires the same K and C and equals single-pass
 * accumulation up to summation order. Not thread-safe.
 */
public final class TopNAccumulator {
  private final int k;
  private final long[] lists;
  private final long[] hits;
  private final double[] dcg;
  private final double[] reciprocalRanks;

  /**
   * @param k the cut-off, >= 1
   * @param groups C, the number of user groups, >= 1
   */
  public TopNAccumulator(int k, int groups) {
    if (k < 1 || groups < 1) {
      throw new IllegalArgumentException("need K >= 1 and >= 1 group, was " + k + ", " + groups);
    }
    this.k = k;
    this.lists = new long[groups + 1];
    this.hits = new long[groups + 1];
    this.dcg = new double[groups + 1];
    this.reciprocalRanks = new double[groups + 1];
  }

  /** The 1-based position of {@code item} in {@code list}, 0 when it is not there. */
  public static int rankOf(int[] list, int length, int item) {
    for (int r = 0; r < length; r++) {
      if (list[r] == item) {
        return r + 1;
      }
    }
    return 0;
  }

  /**
   * Adds one list of a user in {@code group} (1..C) whose relevant item is at {@code rank} (0: not
   * in the list).
   */
  public void add(int group, int rank) {
    if (group < 1 || group >= lists.length) {
      throw new IllegalArgumentException(
          "group must be in 1.." + (lists.length - 1) + ": " + group);
    }
    if (rank < 0) {
      throw new IllegalArgumentException("rank must be >= 0 (0 = not in the list): " + rank);
    }
    count(0, rank);
    count(group, rank);
  }

  private void count(int group, int rank) {
    lists[group]++;
    if (rank >= 1 && rank <= k) {
      hits[group]++;
      dcg[group] += Math.log(2) / Math.log(rank + 1.0);
      reciprocalRanks[group] += 1.0 / rank;
    }
  }

  /**
   * Folds {@code other} into this accumulator; {@code other} is left unchanged.
   *
   * @throws IllegalArgumentException if K or the number of groups differ
   */
  public TopNAccumulator merge(TopNAccumulator other) {
    if (other.k != k || other.lists.length != lists.length) {
      throw new IllegalArgumentException(
          "cannot merge K="
              + other.k
              + ", C="
              + (other.lists.length - 1)
              + " into K="
              + k
              + ", C="
              + (lists.length - 1));
    }
    for (int g = 0; g < lists.length; g++) {
      lists[g] += other.lists[g];
      hits[g] += other.hits[g];
      dcg[g] += other.dcg[g];
      reciprocalRanks[g] += other.reciprocalRanks[g];
    }
    return this;
  }

  public int k() {
    return k;
  }

  public int groups() {
    return lists.length - 1;
  }

  /** Lists added for {@code group} (0 = all). */
  public long lists(int group) {
    return lists[group];
  }

  /** HR@K: the share of lists with the relevant item in the top K. */
  public double hitRate(int group) {
    return mean(hits[group], group);
  }

  /** Mean nDCG@K. */
  public double ndcg(int group) {
    return mean(dcg[group], group);
  }

  /** Mean reciprocal rank, 0 for a miss (MRR@K). */
  public double mrr(int group) {
    return mean(reciprocalRanks[group], group);
  }

  private double mean(double sum, int group) {
    return lists[group] == 0 ? Double.NaN : sum / lists[group];
  }

  @Override
  public String toString() {
    return "TopNAccumulator{k="
        + k
        + ", lists="
        + lists[0]
        + ", hr="
        + hitRate(0)
        + ", ndcg="
        + ndcg(0)
        + ", mrr="
        + mrr(0)
        + "}";
  }
}
