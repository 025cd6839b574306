package io.personalize.online;

/**
 * A {@link PrequentialScoreboard}'s cumulative state, as Flink operator state: per mode and user,
 * the two sums (squared and absolute errors, or hits and reciprocal ranks) and the number of
 * predictions, plus each user's event count. A POJO of arrays.
 */
public class ScoreboardSnapshot {
  public String[] modes = new String[0];
  public String[] users = new String[0];
  public long[] userEvents = new long[0];

  /** Per mode, per user (same order as {@link #users}): sse, sae, n, flattened in threes. */
  public double[][] errors = new double[0][];

  /** Per mode: the list length of a recommender's list checks, 0 for a rating mode. */
  public int[] listLengths = new int[0];

  public ScoreboardSnapshot() {}
}
