package io.personalize.graph;

/**
 * The pairs that leave one item, in the order they were made ({@link PairCombiner}): the graph
 * operator applies them to the item's list with one read and one write of it, where one record per
 * pair cost a read and a write each.
 *
 * <p>A Flink POJO (the records from the user-sequence operator to the graph operator): parallel
 * arrays, public fields.
 */
public class ItemPairs {
  public String from;
  public String[] to = new String[0];
  public double[] weights = new double[0];
  public long[] timesMillis = new long[0];

  public ItemPairs() {}

  public int size() {
    return to.length;
  }

  /** The latest event time of these pairs. */
  public long latestMillis() {
    long latest = Long.MIN_VALUE;
    for (long t : timesMillis) {
      latest = Math.max(latest, t);
    }
    return latest;
  }
}
