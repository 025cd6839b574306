package io.personalize.rank;

/** A {@link PopularityTracker}'s scores by item id: a POJO for Flink operator state. */
public class PopularitySnapshot {
  public String[] itemIds = new String[0];

  /** Stored scores, relative to {@link #landmarkMillis} (see {@link PopularityTracker}). */
  public double[] scores = new double[0];

  /** NaN before the first event of a decaying tracker. */
  public double landmarkMillis = Double.NaN;

  public PopularitySnapshot() {}
}
